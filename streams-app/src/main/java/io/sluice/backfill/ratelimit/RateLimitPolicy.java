package io.sluice.backfill.ratelimit;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate limit as a PDS states it: at most {@code limit} requests per {@code window}. Parsed
 * strictly from the two forms people and PDSs write, {@code 3000/300s} (also {@code 20/s},
 * {@code 100/500ms}, {@code 3000/5m}) and the {@code ratelimit-policy} header form
 * {@code 3000;w=300}; anything else is an error that lists both forms.
 *
 * @param limit  requests allowed per window, at least 1
 * @param window the window length, at least 1 ms, in whole milliseconds
 */
public record RateLimitPolicy(int limit, Duration window) {

    /** What a Bluesky PDS allows one client by default: 3,000 requests per 5 minutes. */
    public static final RateLimitPolicy PDS_DEFAULT = new RateLimitPolicy(3000, Duration.ofSeconds(300));

    static final String ACCEPTED_FORMATS = "<limit>/<window> with a unit ms, s, m or h (3000/300s, 3000/5m, 20/s,"
            + " 100/500ms) or the ratelimit-policy header form <limit>;w=<seconds> (3000;w=300)";

    private static final Pattern PER_WINDOW = Pattern.compile("(\\d{1,10})/(\\d{0,12})(ms|s|m|h)");
    private static final Pattern HEADER = Pattern.compile("(\\d{1,10});w=(\\d{1,9})");

    public RateLimitPolicy {
        Objects.requireNonNull(window, "window");
        if (limit < 1) throw new IllegalArgumentException("rate limit must allow at least 1 request, got " + limit);
        if (window.compareTo(Duration.ofMillis(1)) < 0 || window.toNanos() % 1_000_000 != 0) {
            throw new IllegalArgumentException("rate limit window must be a whole number of milliseconds >= 1 ms, got "
                    + window);
        }
    }

    /** {@code limit} requests per {@code window}. */
    public static RateLimitPolicy of(int limit, Duration window) {
        return new RateLimitPolicy(limit, window);
    }

    /**
     * Parses {@code 3000/300s}, {@code 20/s}, {@code 100/500ms}, {@code 3000/5m}, {@code 10/1h} or
     * {@code 3000;w=300}. Surrounding blanks are ignored; units are lower case.
     *
     * @throws IllegalArgumentException naming the input and the accepted formats
     */
    public static RateLimitPolicy parse(String text) {
        if (text == null) throw invalid(null, "it is missing");
        String s = text.strip();
        try {
            Matcher m = PER_WINDOW.matcher(s);
            if (m.matches()) {
                long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
                return new RateLimitPolicy(parseLimit(m.group(1)), window(amount, m.group(3)));
            }
            Matcher h = HEADER.matcher(s);
            if (h.matches()) {
                return new RateLimitPolicy(parseLimit(h.group(1)), Duration.ofSeconds(Long.parseLong(h.group(2))));
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid(text, e.getMessage());
        }
        throw invalid(text, "it matches no accepted format");
    }

    /** Allowed requests per second, for display and for the pacing rate. */
    public double perSecond() {
        return limit * 1000.0 / window.toMillis();
    }

    public long windowMillis() {
        return window.toMillis();
    }

    /** The canonical {@code <limit>/<window>} form ({@code 20/s}, {@code 3000/5m}), which {@link #parse} reads back. */
    @Override
    public String toString() {
        long ms = window.toMillis();
        if (ms % 3_600_000 == 0) return limit + "/" + amount(ms / 3_600_000) + "h";
        if (ms % 60_000 == 0) return limit + "/" + amount(ms / 60_000) + "m";
        if (ms % 1000 == 0) return limit + "/" + amount(ms / 1000) + "s";
        return limit + "/" + ms + "ms";
    }

    private static String amount(long n) {
        return n == 1 ? "" : Long.toString(n);
    }

    private static int parseLimit(String digits) {
        long value = Long.parseLong(digits);
        if (value > Integer.MAX_VALUE) throw new IllegalArgumentException("limit " + digits + " is too large");
        return (int) value;
    }

    private static Duration window(long amount, String unit) {
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new IllegalStateException("unit " + unit + " matched the pattern but has no meaning");
        };
    }

    private static IllegalArgumentException invalid(String text, String why) {
        String shown = text == null ? "null" : "'" + text + "'";
        return new IllegalArgumentException("invalid rate limit policy " + shown + " (" + why + "); accepted formats: "
                + ACCEPTED_FORMATS);
    }
}
