package io.sluice.bench.chart;

/** Escapes text for XML content and attribute values (titles and series names are caller's text). */
final class Xml {

    private Xml() {
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // XML 1.0 forbids most control characters even escaped: drop them rather than write a file no parser reads.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') continue;
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
