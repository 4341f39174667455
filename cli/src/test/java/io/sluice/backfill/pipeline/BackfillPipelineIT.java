package io.sluice.backfill.pipeline;

import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The backfill end to end through the real broker, registry and PostgreSQL: the PDS simulator (2,000
 * DIDs over 20 hosts, small repositories) → publish-dids → resolver → rate limiter → fetcher → records
 * sink, all in this JVM. Every DID must end DONE in backfill_dids, and repo_records must hold exactly
 * the simulator's records (count and {@link RecordChecksum}), with no request over a host's limit (the
 * limiter at 5/s per host, the simulator refusing more than 15 in any second). Killing the fetcher and
 * the sink mid-run is {@link BackfillKillRestartIT}.
 */
@WithSluiceStack
class BackfillPipelineIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillPipelineIT.class);
    private static final int DIDS = 2_000;
    private static final int HOSTS = 20;
    private static final int PARTITIONS = 3;
    /** Requests per second per PDS host the rate limiter allows. */
    static final int HOST_LIMIT = 5;
    private static final Duration WAIT = Duration.ofMinutes(4);

    @TempDir
    Path stateDir;

    @Test
    void everyDidEndsDoneWithExactlyTheSimulatorsRecords(TestStack stack) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(simulatorConfig(HOSTS, DIDS, 21))) {
            BackfillRun run = new BackfillRun(stack, simulator, "bfe2e-a", RateLimitPolicy.parse(HOST_LIMIT + "/s"), stateDir,
                    PARTITIONS);
            long start = System.nanoTime();
            try (BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(),
                    stack.postgres(), run.config())) {
                run.publish();
                run.awaitDone(DIDS, true, WAIT, pipeline::assertHealthy, pipeline::progress);
            }
            log.info("backfill of {} DIDs took {} s", DIDS, String.format("%.1f", (System.nanoTime() - start) / 1e9));
            run.assertTables(DIDS);
        }
    }

    /**
     * The limiter releases {@link #HOST_LIMIT} per second per host, so 100 repositories per host take
     * about 20 s; the simulator admits three times that in each fixed second, which leaves room for the
     * jitter of a loaded machine but not for a burst the limiter let through.
     */
    static PdsSimulatorConfig simulatorConfig(int hosts, int dids, long seed) {
        return PdsSimulatorConfig.builder().hosts(hosts).dids(dids).seed(seed).records(RecordCounts.uniform(5, 30))
                .rateLimit(3 * HOST_LIMIT, 1).build();
    }
}
