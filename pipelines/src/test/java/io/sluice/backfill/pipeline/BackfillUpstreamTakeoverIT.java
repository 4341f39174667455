package io.sluice.backfill.pipeline;

import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.pipeline.testing.StageProcess;
import io.sluice.backfill.pipeline.testing.StageProcess.Stage;
import io.sluice.backfill.publish.DidPublisher;
import io.sluice.backfill.publish.ProgressListener;
import io.sluice.backfill.publish.PublishDidsConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.resolve.ResolverConfig;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.testing.GroupTakeover;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Takeover in seconds for the backfill's first two stages (issue 17 item 5): two resolvers (one consumer
 * group) and two rate limiters (Kafka Streams, one application, each with its own state directory), each
 * in a JVM of its own, under a steady stream of DIDs. One rate limiter is SIGKILLed, then one resolver;
 * each time the figure is {@link GroupTakeover}'s (the time from the kill until the survivor alone holds
 * the partitions that had records waiting), target 10 s. Nothing downstream runs: the figures are the
 * groups'. {@link BackfillTakeoverIT} does the same for the fetcher and the records sink.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class BackfillUpstreamTakeoverIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillUpstreamTakeoverIT.class);
    private static final Duration TARGET = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Duration PROCESS_START = Duration.ofSeconds(60);
    private static final int DIDS = 1_000;
    private static final int HOSTS = 20;
    private static final int PARTITIONS = 4;
    /** DIDs per tick, one tick every {@link #TICK}: 100 a second, the simulator's DIDs over and over. */
    private static final int PER_TICK = 10;
    private static final Duration TICK = Duration.ofMillis(100);

    @Test
    void theSurvivorsTakeOverAKilledRateLimitersAndAKilledResolversPartitionsWithinTenSeconds(
            TestStack stack, @TempDir Path stateDir, @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(BackfillPipelineIT.simulatorConfig(HOSTS, DIDS, 25))) {
            // a high host limit: the limiter keeps up, so its input partitions have records waiting only briefly
            BackfillRun run = new BackfillRun(stack, simulator, "bfuptakeover", RateLimitPolicy.parse("1000/s"), stateDir,
                    PARTITIONS);
            BackfillPipelineConfig config = run.config();
            BackfillPipeline.ensureTopics(stack.connection(), config);
            List<StageProcess> processes = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong published = new AtomicLong();
            ExecutorService load = Executors.newSingleThreadExecutor();
            try (Admin admin = Admin.create(stack.connection().admin());
                 DidPublisher publisher = DidPublisher.create(new PublishDidsConfig(stack.connection(), config.dids(),
                         "takeover-" + config.idPrefix(), PARTITIONS))) {
                // in parallel: each JVM takes seconds to start; the limiters each with a state directory of its own
                List<CompletableFuture<StageProcess>> starting = List.of(
                        start(Stage.RATE_LIMITER, stack, config.withStateDir(stateDir.resolve("limiter-a")), logs, "ratelimiter-a"),
                        start(Stage.RATE_LIMITER, stack, config.withStateDir(stateDir.resolve("limiter-b")), logs, "ratelimiter-b"),
                        start(Stage.RESOLVER, stack, config, logs, "resolver-a"),
                        start(Stage.RESOLVER, stack, config, logs, "resolver-b"));
                for (CompletableFuture<StageProcess> p : starting) processes.add(p.join());
                StageProcess limiterA = processes.get(0);
                StageProcess resolverA = processes.get(2);
                Runnable healthy = () -> {
                    for (StageProcess p : processes) p.assertAlive();
                };
                GroupTakeover limiters = new GroupTakeover(admin, config.id(RateLimiterConfig.DEFAULT_APPLICATION_ID));
                GroupTakeover resolvers = new GroupTakeover(admin, config.id(ResolverConfig.DEFAULT_GROUP_ID));
                limiters.awaitTwoMembersSharing(config.resolved(), healthy, WAIT);
                resolvers.awaitTwoMembersSharing(config.dids(), healthy, WAIT);

                Future<?> loading = load.submit(() -> publish(simulator.dids(), publisher, stop, published));
                Runnable loadHealthy = () -> {
                    healthy.run();
                    if (loading.isDone()) assertThat(loading).as("the load").succeedsWithin(Duration.ZERO);
                };
                await().atMost(WAIT).until(() -> published.get() >= 300);

                GroupTakeover.Result limiter = limiters.killAndMeasure("backfill rate limiter", config.resolved(), PARTITIONS,
                        () -> kill(processes, limiterA), TARGET, loadHealthy, WAIT);
                GroupTakeover.Result resolver = resolvers.killAndMeasure("backfill resolver", config.dids(), PARTITIONS,
                        () -> kill(processes, resolverA), TARGET, loadHealthy, WAIT);
                stop.set(true);
                loading.get(30, TimeUnit.SECONDS);
                log.info("load stopped after {} DIDs", published.get());

                assertThat(limiter.takenOver()).as("time until the killed rate limiter's partitions are the survivor's")
                        .isLessThanOrEqualTo(TARGET);
                assertThat(resolver.takenOver()).as("time until the killed resolver's partitions are the survivor's")
                        .isLessThanOrEqualTo(TARGET);
            } finally {
                stop.set(true);
                load.shutdownNow();
                for (StageProcess p : processes) p.close();
            }
        }
    }

    /** The simulator's DIDs, a tick's worth at a time, round and round (the resolver's cache answers repeats). */
    private static Void publish(List<String> dids, DidPublisher publisher, AtomicBoolean stop, AtomicLong published)
            throws Exception {
        long next = System.nanoTime();
        for (int i = 0; !stop.get(); ) {
            List<String> tick = new ArrayList<>();
            for (int n = 0; n < PER_TICK; n++, i = (i + 1) % dids.size()) tick.add(dids.get(i));
            byte[] lines = String.join("\n", tick).getBytes(StandardCharsets.UTF_8);
            published.addAndGet(publisher.publish(new ByteArrayInputStream(lines), lines.length, ProgressListener.NONE).published());
            next += TICK.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        return null;
    }

    /** Kills {@code victim} and takes it off the list of processes to check and close. */
    private static void kill(List<StageProcess> processes, StageProcess victim) throws InterruptedException {
        victim.kill();
        processes.remove(victim);
    }

    private static CompletableFuture<StageProcess> start(Stage stage, TestStack stack, BackfillPipelineConfig config, Path logs,
                                                         String name) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return StageProcess.start(stage, stack.bootstrapServers(), stack.registryUrl(), stack.postgres(), config,
                        logs.resolve(name + ".log"), PROCESS_START);
            } catch (Exception e) {
                throw new IllegalStateException("starting " + name + " failed", e);
            }
        });
    }
}
