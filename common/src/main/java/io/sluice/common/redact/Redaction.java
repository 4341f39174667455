package io.sluice.common.redact;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Hides credentials in what sluice prints: URLs, free text and configuration maps. Everything that
 * echoes a URL or a config (a record's {@code toString}, an exception message, a log line, a start-up
 * banner) goes through here, so a password never reaches a terminal, a log file or a CI transcript.
 */
public final class Redaction {

    /** What replaces a hidden value. */
    public static final String HIDDEN = "[hidden]";

    // user:pass@ in any scheme://user:pass@host (http, postgresql, jdbc:postgresql): keep the user.
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:?#\\s]*:)[^/@?#\\s]*@");
    // password=… / sslpassword=… in a query string or JDBC parameters, up to the next separator.
    private static final Pattern QUERY_PASSWORD =
            Pattern.compile("(?i)((?:^|[?&;\\s])[a-z._-]*password=)(?!\")[^&;\\s]*");
    // password="…" as in a JAAS config that ended up in an exception message.
    private static final Pattern QUOTED_PASSWORD = Pattern.compile("(?i)(password\\s*=\\s*)\"[^\"]*\"");

    private Redaction() {
    }

    /** {@code text} with URL user info passwords and {@code password=} values hidden; null stays null. */
    public static String text(String text) {
        if (text == null) return null;
        String out = USER_INFO.matcher(text).replaceAll("$1" + HIDDEN + "@");
        out = QUOTED_PASSWORD.matcher(out).replaceAll("$1\"" + HIDDEN + "\"");
        return QUERY_PASSWORD.matcher(out).replaceAll("$1" + HIDDEN);
    }

    /** A URL (http, JDBC) as it may be printed: its password, in user info or query, hidden. */
    public static String url(String url) {
        return text(url);
    }

    /**
     * Whether a configuration key names a credential: {@code sasl.jaas.config}, any {@code *password},
     * {@code *.key}, {@code *user.info}, {@code *token}, {@code *secret*}.
     */
    public static boolean isSensitive(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.equals("sasl.jaas.config")
                || k.endsWith("password")
                || k.endsWith(".key")
                || k.endsWith("user.info")
                || k.endsWith("token")
                || k.contains("secret");
    }

    /** The value of {@code key} as it may be printed. */
    public static String value(String key, Object value) {
        if (value == null) return "null";
        if (isSensitive(key)) return HIDDEN;
        return text(String.valueOf(value));
    }

    /** {@code config} as {@code {key=value, …}}, sorted by key, every credential hidden. */
    public static String config(Map<String, ?> config) {
        StringBuilder out = new StringBuilder("{");
        for (Map.Entry<String, ?> e : new TreeMap<>(config).entrySet()) {
            if (out.length() > 1) out.append(", ");
            out.append(e.getKey()).append('=').append(value(e.getKey(), e.getValue()));
        }
        return out.append('}').toString();
    }
}
