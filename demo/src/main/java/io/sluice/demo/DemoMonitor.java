package io.sluice.demo;

import io.sluice.ops.monitor.MonitorConfig;
import io.sluice.ops.monitor.MonitorServer;
import io.sluice.ops.monitor.Workload;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackEndpoints;

import java.util.Optional;

/**
 * The live monitor page during a demo run: the one place where the demo starts it, so the demo
 * prints its URL at the start and, with {@code --keep-running}, leaves it up after the summary.
 */
public interface DemoMonitor extends AutoCloseable {

    /** The page's address, empty when no page runs. */
    Optional<String> url();

    @Override
    void close();

    /**
     * Starts the monitor for the demo's stack and database, on a free port, its rate-limit table read
     * from {@code rateLimits} (which the backfill feeds with its in-process limiter). On an external broker
     * the demo prefixes its topic and group names, which the monitor's stage graph does not know,
     * so no page is started there (`sluice monitor` still works for the standard names).
     */
    static DemoMonitor start(StackEndpoints stack, DemoDatabase db, DemoNames names, DemoRateLimits rateLimits) {
        if (names.isolated()) return none();
        MonitorServer server = MonitorServer.start(config(stack, db.endpoint(), names, rateLimits));
        return new DemoMonitor() {
            @Override
            public Optional<String> url() {
                return Optional.of(server.url().toString());
            }

            @Override
            public void close() {
                server.close();
            }
        };
    }

    /** What the demo's page watches: the standard workloads, the run's database and the demo's rate limiter. */
    static MonitorConfig config(StackEndpoints stack, PostgresEndpoint db, DemoNames names, DemoRateLimits rateLimits) {
        return MonitorConfig.defaults(0, stack.connection(), Optional.of(db))
                .withWorkloads(Workload.defaults(), names.topic(TopicNames.BACKFILL_DIDS), BackfillWorkload.SCHEMA)
                .withRateLimits(rateLimits);
    }

    private static DemoMonitor none() {
        return new DemoMonitor() {
            @Override
            public Optional<String> url() {
                return Optional.empty();
            }

            @Override
            public void close() {
            }
        };
    }
}
