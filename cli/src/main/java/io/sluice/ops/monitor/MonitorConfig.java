package io.sluice.ops.monitor;

import io.sluice.common.client.ConnectionSettings;
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
 * @param stallAfter        a group with a backlog and no progress for this long is STALLED
 */
public record MonitorConfig(String host, int port, ConnectionSettings connection, Optional<PostgresEndpoint> postgres,
                            String backfillSchema, String didsTopic, List<Workload> workloads,
                            Optional<RateLimitSource> rateLimits, Duration interval, Duration stallAfter) {

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
    }

    /** The defaults: 127.0.0.1, sluice's own workloads and topics, sampled every second, stalled after 30 s. */
    public static MonitorConfig defaults(int port, ConnectionSettings connection, Optional<PostgresEndpoint> postgres) {
        return new MonitorConfig("127.0.0.1", port, connection, postgres, "public", TopicNames.BACKFILL_DIDS,
                Workload.defaults(), Optional.empty(), Duration.ofSeconds(1), Duration.ofSeconds(30));
    }

    public MonitorConfig withWorkloads(List<Workload> workloads, String didsTopic, String backfillSchema) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter);
    }

    public MonitorConfig withRateLimits(RateLimitSource source) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads,
                Optional.of(source), interval, stallAfter);
    }

    public MonitorConfig withTiming(Duration interval, Duration stallAfter) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter);
    }

    public MonitorConfig withHost(String host) {
        return new MonitorConfig(host, port, connection, postgres, backfillSchema, didsTopic, workloads, rateLimits,
                interval, stallAfter);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
