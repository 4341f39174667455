package io.sluice.backfill.fetch;

import io.sluice.backfill.simulator.ExpectedTotal;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How fast one fetcher turns tasks into records on this machine: the rate from its first record to
 * its last repository, logged, not asserted (the build machines are shared and loaded). Size with
 * {@code -Dsluice.fetcher.dids=} (default 1000) and {@code -Dsluice.fetcher.records=} (default
 * 200..400 per repository).
 */
@WithSluiceStack
class FetcherThroughputIT {

    private static final Logger log = LoggerFactory.getLogger(FetcherThroughputIT.class);

    @TempDir
    Path spill;

    @Test
    void recordsPerSecond(TestStack stack) throws Exception {
        int dids = Integer.getInteger("sluice.fetcher.dids", 1000);
        String[] range = System.getProperty("sluice.fetcher.records", "200..400").split("\\.\\.");
        PdsSimulatorConfig sim = PdsSimulatorConfig.builder().hosts(10).dids(dids).seed(5).rateLimit(1_000_000, 300)
                .records(RecordCounts.uniform(Integer.parseInt(range[0]), Integer.parseInt(range[range.length - 1])))
                .cacheBytes(1L << 30).build();
        try (PdsSimulator simulator = PdsSimulator.start(sim); FetchTopics topics = new FetchTopics(stack)) {
            ExpectedTotal total = simulator.expectedTotal(); // generates every repository before the clock starts
            Instant now = Instant.now();
            topics.sendTasks(simulator.dids().stream().map(did -> FetchTopics.task(did, simulator.endpointOf(did),
                    simulator.endpointOf(did), 1, now, now.plus(Duration.ofMinutes(30)))).toList());
            try (FetcherApp app = FetcherApp.start(topics.config().spillDir(spill).build())) {
                long first = 0;
                long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
                while (app.stats().snapshot().done() < dids && System.nanoTime() < deadline && app.failure().isEmpty()) {
                    if (first == 0 && app.stats().snapshot().records() > 0) first = System.nanoTime();
                    Thread.sleep(20);
                }
                double seconds = (System.nanoTime() - first) / 1e9;
                FetcherStats.Snapshot s = app.stats().snapshot();
                log.info("throughput: {} repositories, {} records, {} MB in {} s: {} records/s, {} repos/s ({} cores, load {})",
                        s.done(), s.records(), s.bytes() >> 20, String.format("%.1f", seconds), (long) (s.records() / seconds),
                        (long) (s.done() / seconds), Runtime.getRuntime().availableProcessors(),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                assertThat(app.failure()).isEmpty();
                assertThat(s.done()).isEqualTo(dids);
                assertThat(s.records()).isEqualTo(total.records());
            }
        }
    }
}
