package io.sluice.backfill.pipeline;

import io.sluice.backfill.fetch.FetcherStats;
import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.ops.lag.GroupLag;
import io.sluice.ops.lag.LagReader;
import io.sluice.ops.replay.ReplayTarget;
import io.sluice.ops.replay.Replayer;
import io.sluice.testing.TakeoverReport;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a rerun costs (issue 17 item 4). A backfill of 300 DIDs over 6 hosts at a binding 5/s each,
 * then the rerun an operator does with {@code sluice replay --group <rate limiter> --to-earliest
 * --execute}: every stage stopped, the rate limiter reset (its inputs to the earliest offset, its
 * stores and changelogs deleted), every stage started again. The simulator counts the requests: on the
 * rerun a released DID costs one, a getLatestCommit (its repository is stored at the PDS's revision, see
 * {@link BackfillRefetchIT}) or, were it not, a download.
 *
 * <p>Asserted: while no fetcher has joined, the limiter releases nothing (a task nobody owns would
 * expire); on the rerun, the downloads per DID (each DID released once, however many times it was
 * retried or expired before the reset), and that the tables still hold exactly the simulator's
 * records. Reported (a {@code RERUN} line in {@code .ci/run}'s output): the share of fetch tasks that
 * expired before a fetcher started them in the first run, in steady state (from a fifth of the DIDs done;
 * no stage killed) and over the whole run.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BackfillRerunIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillRerunIT.class);
    private static final int DIDS = 300;
    private static final int HOSTS = 6;
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofMinutes(2);
    /** The rerun is over when no download happened for this long and no task waits anywhere. */
    private static final Duration QUIET = Duration.ofSeconds(4);

    @TempDir
    Path stateDir;

    @Test
    void aRateLimiterResetDownloadsEachDidOnce(TestStack stack) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(BackfillPipelineIT.simulatorConfig(HOSTS, DIDS, 23));
             Admin admin = Admin.create(stack.connection().admin())) {
            BackfillRun run = new BackfillRun(stack, simulator, "bfrerun",
                    RateLimitPolicy.parse(BackfillPipelineIT.HOST_LIMIT + "/s"), stateDir, PARTITIONS);
            BackfillPipelineConfig config = run.config();

            FetcherStats.Snapshot warm;
            FetcherStats.Snapshot first;
            try (BackfillPipeline pipeline = BackfillPipeline.startUpstream(stack.connection(), stack.postgres(), config)) {
                run.publish();
                awaitResolved(pipeline);
                Thread.sleep(2_000);
                assertThat(records(admin, config.fetch())).as("tasks released while no fetcher owns a partition").isZero();
                pipeline.startFetcher();
                pipeline.startSink();
                // steady state: from the moment a fifth of the DIDs are done (the stages started and warm)
                run.awaitDone(DIDS / 5, false, WAIT, pipeline::assertHealthy, pipeline::progress);
                warm = pipeline.fetcherStats();
                run.awaitDone(DIDS, true, WAIT, pipeline::assertHealthy, pipeline::progress);
                first = pipeline.fetcherStats();
            }
            long firstDownloads = simulator.stats().totals().served();
            long expiredSteady = first.expired() - warm.expired();
            long tasksSteady = tasks(first) - tasks(warm);
            log.info("first run: {} downloads for {} DIDs; fetcher {}", firstDownloads, DIDS, first);
            TakeoverReport.figure(String.format(Locale.ROOT, "RERUN expired fetch tasks: %d of %d in steady state (%.1f%%), "
                    + "%d of %d in the whole first run (%.1f%%; target < 1%% in steady state)", expiredSteady, tasksSteady,
                    100.0 * expiredSteady / tasksSteady, first.expired(), tasks(first), 100.0 * first.expired() / tasks(first)));

            String limiter = config.id(RateLimiterConfig.DEFAULT_APPLICATION_ID);
            awaitNoMembers(admin, limiter);
            Replayer replayer = new Replayer(admin, stack.connection(), Optional.empty(),
                    Optional.of(config.stateDir().resolve("ratelimiter")));
            replayer.apply(replayer.plan(limiter, new ReplayTarget.ToEarliest(), List.of(), true, false));
            simulator.resetStats();

            long rerunStart = System.nanoTime();
            try (BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(), stack.postgres(), config)) {
                awaitQuiet(simulator, pipeline);
                log.info("rerun after the limiter reset: fetcher {}", pipeline.fetcherStats());
            }
            long rerunDownloads = simulator.stats().totals().served();
            double perDid = (double) rerunDownloads / DIDS;
            log.info("rerun: {} requests ({} downloads) for {} DIDs ({} per DID) in {} s", rerunDownloads,
                    simulator.stats().totals().repos(), DIDS,
                    String.format("%.3f", perDid), String.format("%.1f", (System.nanoTime() - rerunStart) / 1e9));

            run.assertTables(DIDS);
            // at least 1: the reset deleted what the limiter remembered, so every DID is released again
            assertThat(perDid).as("requests per DID on the rerun (%d requests)", rerunDownloads).isBetween(1.0, 1.05);
            TakeoverReport.figure(String.format(Locale.ROOT, "RERUN requests per DID after a rate-limiter reset: %.3f "
                    + "(%d for %d DIDs; target <= 1.05)", perDid, rerunDownloads, DIDS));
            // The expired share is reported, not asserted: with these 5/s hosts a task may start at most 22 ms
            // late, which a loaded machine misses now and then whatever the code does.
        }
    }

    /** Tasks the fetcher took to an outcome (expired ones included). */
    private static long tasks(FetcherStats.Snapshot s) {
        return s.done() + s.failed() + s.retried() + s.expired();
    }

    private static void awaitResolved(BackfillPipeline pipeline) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (pipeline.resolverCounters().resolved() < DIDS) {
            pipeline.assertHealthy();
            assertThat(System.nanoTime()).as("resolved in time: %s", pipeline.progress()).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Records (and transaction markers) ever written to {@code topic}. */
    private static long records(Admin admin, String topic) throws Exception {
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        return admin.listOffsets(partitions).all().get().values().stream().mapToLong(o -> o.offset()).sum();
    }

    /** Waits until the group has no members, so that it can be reset (a closed member may still be leaving). */
    private static void awaitNoMembers(Admin admin, String group) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (members(admin, group) > 0) {
            assertThat(System.nanoTime()).as("%s left its group in time", group).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /**
     * Waits until the rerun is over: the limiter holds no task, and for {@link #QUIET} neither a
     * download happened nor did the fetcher take a task (expired ones come back through the limiter).
     */
    private static void awaitQuiet(PdsSimulator simulator, BackfillPipeline pipeline) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String seen = "";
        long quietSince = System.nanoTime();
        // the limiter needs a moment to read its inputs again; before that nothing waits anywhere
        Thread.sleep(QUIET.toMillis());
        while (true) {
            pipeline.assertHealthy();
            String now = simulator.stats().totals().served() + " " + pipeline.fetcherStats();
            boolean idle = pipeline.rateLimitHosts().stream().allMatch(h -> h.queued() == 0);
            if (!now.equals(seen) || !idle) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= QUIET.toNanos()) {
                return;
            }
            assertThat(System.nanoTime()).as("the rerun ended in time; %s", pipeline.progress()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    private static int members(Admin admin, String group) {
        return sample(admin, group).members();
    }

    private static GroupLag sample(Admin admin, String group) {
        try (LagReader reader = new LagReader(admin, Optional.empty())) {
            return reader.read(List.of(group)).getFirst();
        }
    }
}
