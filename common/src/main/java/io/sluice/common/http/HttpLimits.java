package io.sluice.common.http;

import java.time.Duration;

/**
 * The limits every sluice HTTP listener keeps, so that slow or silent clients cannot hold connections
 * forever:
 * <ul>
 *   <li>{@code requestTime} (30 s): a request's headers must arrive within it of their first byte (of the
 *       accept, for a connection's first request), and then its body within it; a client trickling bytes
 *       is cut off. An answer that takes longer (a long read) is not limited</li>
 *   <li>{@code idleTime} (30 s): a connection with nothing moving (keep-alive between requests, or a
 *       response the client does not read) is closed</li>
 *   <li>{@code maxConnections} (1000): a connection over it is closed as soon as it is accepted</li>
 * </ul>
 * A user changes them with {@code -D} (or JAVA_TOOL_OPTIONS): {@value #REQUEST_TIMEOUT_MS},
 * {@value #IDLE_TIMEOUT_MS} and {@value #MAX_CONNECTIONS}.
 */
public record HttpLimits(Duration requestTime, Duration idleTime, int maxConnections) {

    public static final String REQUEST_TIMEOUT_MS = "sluice.http.request.timeout.ms";
    public static final String IDLE_TIMEOUT_MS = "sluice.http.idle.timeout.ms";
    public static final String MAX_CONNECTIONS = "sluice.http.max.connections";

    public HttpLimits {
        if (requestTime.isNegative() || requestTime.isZero()) throw new IllegalArgumentException(REQUEST_TIMEOUT_MS + " must be positive");
        if (idleTime.isNegative() || idleTime.isZero()) throw new IllegalArgumentException(IDLE_TIMEOUT_MS + " must be positive");
        if (maxConnections < 1) throw new IllegalArgumentException(MAX_CONNECTIONS + " must be at least 1");
    }

    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(30), 1000);
    }

    /** The defaults, with whatever of the three properties the user set. */
    public static HttpLimits fromSystemProperties() {
        HttpLimits d = defaults();
        return new HttpLimits(
                Duration.ofMillis(property(REQUEST_TIMEOUT_MS, d.requestTime().toMillis())),
                Duration.ofMillis(property(IDLE_TIMEOUT_MS, d.idleTime().toMillis())),
                (int) property(MAX_CONNECTIONS, d.maxConnections()));
    }

    private static long property(String name, long fallback) {
        String value = System.getProperty(name);
        if (value == null) return fallback;
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got \"" + value + "\"", e);
        }
    }
}
