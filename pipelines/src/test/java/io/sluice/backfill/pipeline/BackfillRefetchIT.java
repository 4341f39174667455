package io.sluice.backfill.pipeline;

import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.HostStats;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rerun downloads only what changed (issue 17 item 4). A backfill of 60 DIDs, then the same DIDs
 * published again under a new run id with every stage's state kept (the tables too): a few accounts
 * committed in between (a later revision, the same records). Asserted by the simulator's counters: the
 * rerun asks each DID's latest revision once and downloads only the changed repositories; a third run
 * with refetch downloads every repository once and asks nothing. After each run the tables hold exactly
 * the simulator's records, every DID DONE in that run, and no request went over a host's limit.
 */
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BackfillRefetchIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillRefetchIT.class);
    private static final int DIDS = 60;
    private static final int HOSTS = 3;
    private static final int CHANGED = 5;
    private static final Duration WAIT = Duration.ofMinutes(1);

    @TempDir
    Path stateDir;

    @Test
    void aRerunDownloadsOnlyTheRepositoriesThatChangedUnlessRefetch(TestStack stack) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(BackfillPipelineIT.simulatorConfig(HOSTS, DIDS, 29))) {
            BackfillRun run = new BackfillRun(stack, simulator, "bfrefetch",
                    RateLimitPolicy.parse(BackfillPipelineIT.HOST_LIMIT + "/s"), stateDir, 3);
            try (BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(), stack.postgres(), run.config())) {
                run.publish();
                run.awaitDone(DIDS, true, WAIT, pipeline::assertHealthy, pipeline::progress);
                assertThat(simulator.stats().totals().repos()).as("downloads of the first run").isGreaterThanOrEqualTo(DIDS);

                List<String> changed = simulator.dids().subList(0, CHANGED);
                changed.forEach(simulator::commit);
                simulator.resetStats();
                rerun(run, pipeline, "rerun-same-state");
                HostStats rerun = simulator.stats().totals();
                log.info("rerun: {} downloads, {} getLatestCommit for {} DIDs ({} changed)", rerun.repos(), checks(rerun),
                        DIDS, CHANGED);
                assertThat(rerun.repos()).as("downloads on the rerun: the changed repositories only").isEqualTo(CHANGED);
                assertThat(checks(rerun)).as("getLatestCommit requests on the rerun").isEqualTo(DIDS);
                assertThat(pipeline.fetcherStats().unchanged()).as("DIDs the fetcher found unchanged")
                        .isEqualTo(DIDS - CHANGED);
                long changedRecords = changed.stream().mapToLong(did -> simulator.expected(did).records()).sum();
                String atNewRev = "SELECT count(*) FROM repo_records WHERE " + String.join(" OR ", changed.stream()
                        .map(did -> "(did = '" + did + "' AND rev = '" + simulator.expected(did).rev() + "')").toList());
                // a DID's records may reach the sink after its status
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (run.count(atNewRev) < changedRecords && System.nanoTime() < deadline) Thread.sleep(200);
                assertThat(run.count(atNewRev)).as("the changed repositories' records at their new revision")
                        .isEqualTo(changedRecords);
            }

            simulator.resetStats();
            try (BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(), stack.postgres(),
                    run.config().withRefetch(true))) {
                rerun(run, pipeline, "rerun-refetch");
            }
            HostStats refetch = simulator.stats().totals();
            log.info("refetch: {} downloads, {} getLatestCommit for {} DIDs", refetch.repos(), checks(refetch), DIDS);
            assertThat((double) refetch.repos() / DIDS).as("downloads per DID with refetch (%d)", refetch.repos())
                    .isBetween(1.0, 1.05);
            assertThat(checks(refetch)).as("getLatestCommit requests with refetch").isZero();
        }
    }

    /** Publishes every DID again under {@code runId} and waits until each is DONE in it with all records stored. */
    private static void rerun(BackfillRun run, BackfillPipeline pipeline, String runId) throws Exception {
        run.publish(runId);
        long deadline = System.nanoTime() + WAIT.toNanos();
        String doneInRun = "SELECT count(*) FROM backfill_dids WHERE state = 'DONE' AND run_id = '" + runId + "'";
        while (run.count(doneInRun) < DIDS) {
            pipeline.assertHealthy();
            assertThat(System.nanoTime()).as("%s done in time: %s", runId, pipeline.progress()).isLessThan(deadline);
            Thread.sleep(200);
        }
        run.assertTables(DIDS);
    }

    /** Requests answered other than getRepo: the fetcher's getLatestCommit (it asks nothing else of a PDS). */
    private static long checks(HostStats totals) {
        return totals.served() - totals.repos();
    }
}
