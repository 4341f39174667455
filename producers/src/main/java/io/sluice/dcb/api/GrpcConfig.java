package io.sluice.dcb.api;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the DCB API's gRPC listener ({@code sluice.v1.DcbService}), validated once when
 * built. It binds the HTTP API's host; what one request may ask is the HTTP API's {@link ApiLimits}
 * (the largest message is the largest append body).
 *
 * @param port                   gRPC port; 0: any free port ({@link DcbApi#grpcPort()} tells which)
 * @param maxCallsPerConnection  concurrent calls (streams) one HTTP/2 connection may open; more wait for a free one
 * @param maxSubscriptions       concurrent Subscribe streams on this instance; more are RESOURCE_EXHAUSTED
 * @param maxInFlightPerStream   appends an ASYNC AppendStream has decided at once; the stream reads
 *                               no further request until one is answered (ORDERED: 1)
 * @param heartbeat              how long a subscription stays silent before it sends the head position
 * @param pageRows               events a Read or Subscribe takes from PostgreSQL at a time: the rows a
 *                               stream holds in memory, and nothing is held while the client is not reading
 * @param tls                    the certificate and key to serve TLS with; empty: plaintext
 */
public record GrpcConfig(int port, int maxCallsPerConnection, int maxSubscriptions, int maxInFlightPerStream,
                         Duration heartbeat, int pageRows, Optional<GrpcTls> tls) {

    public static final String PORT_OPTION = "--grpc-port";

    public GrpcConfig {
        if (port < 0 || port > 65_535) throw new IllegalArgumentException(PORT_OPTION + " must be 0..65535, got " + port);
        between(maxCallsPerConnection, 1, 100_000, "maxCallsPerConnection");
        between(maxSubscriptions, 1, 1_000_000, "maxSubscriptions");
        between(maxInFlightPerStream, 1, 10_000, "maxInFlightPerStream");
        between(pageRows, 1, 10_000, "pageRows");
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(tls, "tls (use Optional.empty())");
        if (heartbeat.compareTo(Duration.ofMillis(10)) < 0 || heartbeat.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("heartbeat must be between 10 ms and 10 minutes, got " + heartbeat);
        }
    }

    /**
     * On {@code port}: 1,000 calls per connection, 10,000 subscriptions, 64 appends in flight per
     * ASYNC stream, a heartbeat after 5 s of silence, pages of 256 rows, plaintext.
     */
    public static GrpcConfig defaults(int port) {
        return new GrpcConfig(port, 1_000, 10_000, 64, Duration.ofSeconds(5), 256, Optional.empty());
    }

    public GrpcConfig withHeartbeat(Duration other) {
        return new GrpcConfig(port, maxCallsPerConnection, maxSubscriptions, maxInFlightPerStream, other, pageRows, tls);
    }

    public GrpcConfig withMaxSubscriptions(int other) {
        return new GrpcConfig(port, maxCallsPerConnection, other, maxInFlightPerStream, heartbeat, pageRows, tls);
    }

    /** Serving TLS with {@code other}'s certificate and key; empty: plaintext. */
    public GrpcConfig withTls(Optional<GrpcTls> other) {
        return new GrpcConfig(port, maxCallsPerConnection, maxSubscriptions, maxInFlightPerStream, heartbeat, pageRows, other);
    }

    private static void between(int value, int min, int max, String name) {
        if (value < min || value > max) throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
    }
}
