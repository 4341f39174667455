package io.sluice.backfill.publish;

/**
 * A line of a DID list that is not a DID.
 *
 * @param number 1-based line number
 * @param text   the trimmed line, cut to {@value #MAX_TEXT} characters
 * @param reason why it is not a valid DID
 */
public record InvalidLine(long number, String text, String reason) {

    public static final int MAX_TEXT = 120;

    public InvalidLine {
        if (text.length() > MAX_TEXT) text = text.substring(0, MAX_TEXT) + "…";
    }

    @Override
    public String toString() {
        return "line " + number + ": " + text + " (" + reason + ")";
    }
}
