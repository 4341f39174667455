package io.sluice.backfill.ratelimit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict parsing of the durations in the rate limiter's settings: {@code 50ms}, {@code 2s}, {@code 5m}, {@code 1h} or ISO-8601. */
final class Durations {

    static final String ACCEPTED_FORMATS = "<number><unit> with unit ms, s, m or h (50ms, 2s, 5m, 1h) or ISO-8601 (PT0.05S)";

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    static Duration parse(String name, String text) {
        String s = text == null ? "" : text.strip();
        Matcher m = SIMPLE.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                // fall through to the error that lists the accepted formats
            }
        }
        throw new IllegalArgumentException(name + ": invalid duration '" + text + "'; accepted formats: " + ACCEPTED_FORMATS);
    }

    /** The shortest of {@code 50ms}, {@code 2s}, {@code 5m} that states {@code d} exactly, for messages. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms != 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
        if (ms != 0 && ms % 1000 == 0) return ms / 1000 + "s";
        return ms + "ms";
    }
}
