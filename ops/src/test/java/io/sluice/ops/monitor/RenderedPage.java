package io.sluice.ops.monitor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a dumped DOM: the attributes of the start tag that carries a given attribute value. */
record RenderedPage(String html) {

    private static final Pattern ATTRIBUTE = Pattern.compile("([a-zA-Z_:][-a-zA-Z0-9_:.]*)=\"([^\"]*)\"");

    /** The attributes of the first element with {@code name="value"}, if any (entities in values decoded). */
    Optional<Map<String, String>> element(String name, String value) {
        String needle = " " + name + "=\"" + escape(value) + "\"";
        int at = html.indexOf(needle);
        if (at < 0) return Optional.empty();
        int start = html.lastIndexOf('<', at);
        int end = html.indexOf('>', at);
        Map<String, String> attributes = new LinkedHashMap<>();
        Matcher m = ATTRIBUTE.matcher(html.substring(start, end));
        while (m.find()) attributes.put(m.group(1), unescape(m.group(2)));
        return Optional.of(attributes);
    }

    /** Vertices of the first {@code <polyline>} after the element with {@code name="value"} (a chart's line); -1 if none. */
    int polylinePointsAfter(String name, String value) {
        int at = html.indexOf(" " + name + "=\"" + escape(value) + "\"");
        if (at < 0) return -1;
        int line = html.indexOf("<polyline", at);
        if (line < 0) return -1;
        Matcher m = Pattern.compile("points=\"([^\"]*)\"").matcher(html.substring(line, html.indexOf('>', line)));
        if (!m.find()) return -1;
        String points = m.group(1).trim();
        return points.isEmpty() ? 0 : points.split("\\s+").length;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("\"", "&quot;");
    }

    private static String unescape(String s) {
        return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }
}
