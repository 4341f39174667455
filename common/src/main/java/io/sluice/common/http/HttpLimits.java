package io.sluice.common.http;

/**
 * Time and connection limits of the JDK's HTTP server (com.sun.net.httpserver), which reads them from
 * system properties once, when its first server starts in the process. Its own defaults let a client
 * that sends a request a byte at a time hold a connection forever. {@link #applyDefaults()} sets, for
 * every property the user has not set (with {@code -D} or JAVA_TOOL_OPTIONS):
 * <ul>
 *   <li>{@code sun.net.httpserver.maxReqTime} 30 s: to read a request's headers and body</li>
 *   <li>{@code sun.net.httpserver.maxRspTime} 120 s: to send a response (a large /read to a slow reader)</li>
 *   <li>{@code sun.net.httpserver.idleInterval} 30 s: an idle keep-alive (or silent new) connection is closed</li>
 *   <li>{@code jdk.httpserver.maxConnections} 1000: further connections are refused until one closes</li>
 *   <li>{@code sun.net.httpserver.maxIdleConnections} 1000: keep-alive connections kept (the JDK keeps 200)</li>
 *   <li>{@code sun.net.httpserver.nodelay} true: small answers are not held for the client's delayed ACK</li>
 *   <li>{@code sun.net.httpserver.clockTick} 1000 ms: how often idle connections, and new ones that have sent
 *       nothing yet, are checked; the JDK's 10 s let a silent connection live 10 s past its limit</li>
 * </ul>
 * The request and response times are checked once a second, so a connection lives up to a second past its limit.
 */
public final class HttpLimits {

    public static final String MAX_REQUEST_TIME = "sun.net.httpserver.maxReqTime";
    public static final String MAX_RESPONSE_TIME = "sun.net.httpserver.maxRspTime";
    public static final String IDLE_INTERVAL = "sun.net.httpserver.idleInterval";
    public static final String MAX_CONNECTIONS = "jdk.httpserver.maxConnections";
    public static final String MAX_IDLE_CONNECTIONS = "sun.net.httpserver.maxIdleConnections";
    public static final String NO_DELAY = "sun.net.httpserver.nodelay";
    public static final String IDLE_CHECK_MILLIS = "sun.net.httpserver.clockTick";

    private HttpLimits() {
    }

    /** Call before creating a server; later calls, and properties the user set, change nothing. */
    public static synchronized void applyDefaults() {
        defaultProperty(MAX_REQUEST_TIME, "30");
        defaultProperty(MAX_RESPONSE_TIME, "120");
        defaultProperty(IDLE_INTERVAL, "30");
        defaultProperty(MAX_CONNECTIONS, "1000");
        defaultProperty(MAX_IDLE_CONNECTIONS, "1000");
        defaultProperty(NO_DELAY, "true");
        defaultProperty(IDLE_CHECK_MILLIS, "1000");
    }

    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) System.setProperty(name, value);
    }
}
