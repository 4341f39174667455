package io.sluice.backfill.publish;

/**
 * A line of a DID list that is not a DID.
 *
 * @param number 1-based line number
 * @param text   the trimmed line, cut to {@value #MAX_TEXT} characters, control characters escaped
 *               ({@link #printable}): it is echoed to a terminal
 * @param reason why it is not a valid DID, escaped the same way
 */
public record InvalidLine(long number, String text, String reason) {

    public static final int MAX_TEXT = 120;

    public InvalidLine {
        boolean cut = text.length() > MAX_TEXT;
        if (cut) {
            int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
            text = printable(text.substring(0, end)) + "…";
        } else {
            text = printable(text);
        }
        reason = printable(reason);
    }

    /**
     * {@code text} with every character a terminal could act on written as a Java escape (backslash, u, four hex digits): C0 and C1
     * controls (ESC starts escape sequences, 0x9B is a one-byte CSI), DEL, format characters (bidi
     * overrides that reorder what is shown) and unpaired surrogates; a backslash is doubled so that an
     * escape in the output is always one of these.
     */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
            boolean escape = c == '\\' || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                    || Character.isSurrogate(c) && !paired;
            if (escape && out == null) out = new StringBuilder(text.length() + 16).append(text, 0, i);
            if (out != null) {
                if (c == '\\') out.append("\\\\");
                else if (escape) out.append(String.format("\\u%04x", (int) c));
                else out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    @Override
    public String toString() {
        return "line " + number + ": " + text + " (" + reason + ")";
    }
}
