package io.sluice.ops.monitor;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.http.HttpAuth;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.stack.PostgresEndpoint;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link MonitorServer} watches and where it listens.
 *
 * @param host              address to listen on
 * @param port              port (0: any free one)
 * @param connection        Kafka
 * @param postgres          PostgreSQL: the sinks' stored offsets and {@code backfill_dids}; empty: lag from
 *                          Kafka only, no backfill progress
 * @param backfillSchema    schema of {@code backfill_dids}
 * @param didsTopic         topic the DIDs are published to (its record count is the backfill's total)
 * @param workloads         what to draw
 * @param rateLimits        per-host rate-limit state; empty: not shown
 * @param interval          how often the state is sampled (the page polls at the same pace)
 * @param stallAfter        a group with a partition whose lag has not moved for this long is STALLED
 * @param history           how far back the page's per-stage charts reach (one sample per interval, see
 *                          {@link #historySamples()})
 * @param auth              bearer-token authentication of the page, /api/state and (if asked) /metrics
 */
public record MonitorConfig(String host, int port, ConnectionSettings connection, Optional<PostgresEndpoint> postgres,
                            String backfillSchema, String didsTopic, List<Workload> workloads,
                            Optional<RateLimitSource> rateLimits, Duration interval, Duration stallAfter,
                            Duration history, HttpAuth auth) {

    /** Bounds what each stage's history costs, in memory and in every /api/state answer. */
    public static final int MAX_HISTORY_SAMPLES = 1200;

    public MonitorConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
        if (connection == null) throw new IllegalArgumentException("connection must be given");
        Objects.requireNonNull(postgres, "postgres");
        Objects.requireNonNull(backfillSchema, "backfillSchema");
        Objects.requireNonNull(didsTopic, "didsTopic");
        workloads = List.copyOf(workloads);
        Objects.requireNonNull(rateLimits, "rateLimits");
        requirePositive(interval, "interval");
        requirePositive(stallAfter, "stallAfter");
        requirePositive(history, "history");
        Objects.requireNonNull(auth, "auth (use HttpAuth.none())");
    }

    /**
     * Samples each stage's history holds: the history window over the interval, rounded up, between 2
     * (a chart needs a line) and {@value #MAX_HISTORY_SAMPLES} (sampling faster shortens the window instead).
     */
    public int historySamples() {
        long h = history.toNanos();
        long i = interval.toNanos();
        return (int) Math.clamp((h + i - 1) / i, 2, MAX_HISTORY_SAMPLES);
    }

    /** The defaults: 127.0.0.1, sluice's own workloads and topics, sampled every second, stalled after 30 s, 10 minutes of history. */
    public static MonitorConfig defaults(int port, ConnectionSettings connection, Optional<PostgresEndpoint> postgres) {
        return new MonitorConfig("127.0.0.1", port, connection, postgres, "public", TopicNames.BACKFILL_DIDS,
                Workload.defaults(), Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofMinutes(10), HttpAuth.none());
    }

    public MonitorConfig withWorkloads(List<Workload> workloads, String didsTopic, String backfillSchema) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter, history, auth);
    }

    public MonitorConfig withRateLimits(RateLimitSource source) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads,
                Optional.of(source), interval, stallAfter, history, auth);
    }

    public MonitorConfig withTiming(Duration interval, Duration stallAfter) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter, history, auth);
    }

    public MonitorConfig withHistory(Duration history) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter, history, auth);
    }

    public MonitorConfig withHost(String host) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter, history, auth);
    }

    public MonitorConfig withAuth(HttpAuth other) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter, history, other);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
