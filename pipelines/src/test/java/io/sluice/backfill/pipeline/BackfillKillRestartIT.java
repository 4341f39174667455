package io.sluice.backfill.pipeline;

import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.pipeline.testing.StageProcess;
import io.sluice.backfill.pipeline.testing.StageProcess.Stage;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill with the fetcher and the records sink each in a JVM of its own, each killed with
 * SIGKILL mid-run (some but not all DIDs in PostgreSQL) and started again: no clean shutdown, no
 * commit, no leaving the group, the sink's open transaction cut off. The resolver and the rate limiter
 * run in this JVM. The tables must come out as if nothing had happened: every DID DONE, repo_records
 * equal to the simulator's by count and checksum (the key (did, collection, rkey) is the primary key,
 * so equal count and checksum also means no duplicates), and no request over a host's limit.
 *
 * <p>1,000 DIDs over 20 hosts rather than the 2,000 of {@link BackfillPipelineIT}: the two JVM starts
 * and the group's wait for each killed member (the embedded broker's 6 s consumer-group session timeout) add about 20 s.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BackfillKillRestartIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillKillRestartIT.class);
    private static final int DIDS = 1_000;
    private static final int HOSTS = 20;
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final Duration PROCESS_START = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @TempDir
    Path logs;

    @Test
    void aKilledFetcherAndAKilledSinkLeaveTheSameTables(TestStack stack) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(BackfillPipelineIT.simulatorConfig(HOSTS, DIDS, 22))) {
            BackfillRun run = new BackfillRun(stack, simulator, "bfkill",
                    RateLimitPolicy.parse(BackfillPipelineIT.HOST_LIMIT + "/s"), stateDir, PARTITIONS);
            long start = System.nanoTime();
            AtomicReference<StageProcess> fetcher = new AtomicReference<>();
            AtomicReference<StageProcess> sink = new AtomicReference<>();
            try (BackfillPipeline pipeline = BackfillPipeline.startUpstream(stack.connection(),
                    stack.postgres(), run.config())) {
                Runnable healthy = () -> {
                    pipeline.assertHealthy();
                    fetcher.get().assertAlive();
                    sink.get().assertAlive();
                };
                fetcher.set(startStage(Stage.FETCHER, stack, run, "fetcher-1.log"));
                sink.set(startStage(Stage.SINK, stack, run, "sink-1.log"));
                run.publish();

                long before = run.awaitDone(DIDS / 4, false, WAIT, healthy, pipeline::progress);
                fetcher.get().kill();
                log.info("{} DIDs done: fetcher killed", before);
                fetcher.set(startStage(Stage.FETCHER, stack, run, "fetcher-2.log"));

                before = run.awaitDone(DIDS / 2, false, WAIT, healthy, pipeline::progress);
                long recordsBefore = run.records();
                sink.get().kill();
                long doneAtKill = run.done();
                log.info("{} DIDs done, {} records: sink killed", doneAtKill, recordsBefore);
                assertThat(doneAtKill).as("killed mid-run").isLessThan(DIDS);
                sink.set(startStage(Stage.SINK, stack, run, "sink-2.log"));

                run.awaitDone(DIDS, true, WAIT, healthy, pipeline::progress);
            } finally {
                if (fetcher.get() != null) fetcher.get().close();
                if (sink.get() != null) sink.get().close();
            }
            log.info("backfill of {} DIDs with a killed fetcher and sink took {} s", DIDS,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            run.assertTables(DIDS);
            assertThat(run.count("SELECT count(DISTINCT (did, collection, rkey)) FROM repo_records"))
                    .as("distinct record keys").isEqualTo(run.records());
        }
    }

    private StageProcess startStage(Stage stage, TestStack stack, BackfillRun run, String logName) throws Exception {
        return StageProcess.start(stage, stack.bootstrapServers(), stack.registryUrl(), stack.postgres(), run.config(),
                logs.resolve(logName), PROCESS_START);
    }
}
