package io.sluice.etl.pipeline;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.pipeline.testing.EtlStageProcess;
import io.sluice.etl.pipeline.testing.EtlStageProcess.Stage;
import io.sluice.etl.pipeline.testing.EtlTables;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.stack.process.ChildJvm;
import io.sluice.testing.GroupTakeover;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
 * Takeover in seconds for the ETL (issue 17 item 5): two flatteners (Kafka Streams, one application) and
 * two ETL sinks (one consumer group), each in a JVM of its own, under a steady load of user creates and
 * updates. One flattener is SIGKILLed, then one sink; each time the figure is {@link GroupTakeover}'s (the
 * time from the kill until the survivor alone holds the partitions that had records waiting), target
 * 10 s. Then the load stops, and the 15 tables must hold exactly what the documents say.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class EtlTakeoverIT {

    private static final Logger log = LoggerFactory.getLogger(EtlTakeoverIT.class);
    private static final Duration TARGET = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Duration PROCESS_START = Duration.ofSeconds(60);
    private static final long SEED = 17;
    private static final int PARTITIONS = 4;
    /** Changes per tick, one tick every {@link #TICK}: about 60 a second, every fifth an update. */
    private static final int PER_TICK = 6;
    private static final Duration TICK = Duration.ofMillis(100);
    private static final String SCHEMA = "etl_takeover";

    @Test
    void theSurvivorsTakeOverAKilledFlattenersAndAKilledSinksPartitionsWithinTenSeconds(
            TestStack stack, @TempDir Path stateA, @TempDir Path stateB, @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path logs) throws Exception {
        String database = stack.unique("etltakeover").replace('-', '_');
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(SEED), new MongoChangeEvents(database, Clock.system()));
        EtlPipelineConfig config = EtlPipelineConfig.builder(stack.connection(), stack.postgres())
                .sourceTopic(feed.topic())
                .rowsTopic(stack.unique("etl.user-rows"))
                .dlqTopic(stack.unique("etl.dlq"))
                .applicationId(stack.unique("flattener"))
                .groupId(stack.unique("sink"))
                .partitions(PARTITIONS)
                .sinkInstances(0)
                .dbSchema(SCHEMA)
                .sinkBatchSize(50)
                .sinkFlushInterval(Duration.ofMillis(100))
                .build();
        EtlPipeline.ensureTopics(config);

        List<ChildJvm> processes = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong users = new AtomicLong();
        ExecutorService load = Executors.newSingleThreadExecutor();
        try (Admin admin = Admin.create(stack.connection().admin());
             CdcEventPublisher publisher = CdcEventPublisher.create(stack.connection(),
                     HttpSchemaRegistryClient.create(stack.registryUrl()), Map.of())) {
            // in parallel: each JVM takes seconds to start
            List<CompletableFuture<ChildJvm>> starting = List.of(
                    start(Stage.FLATTENER, stack, config.toBuilder().stateDir(stateA).build(), "a", logs),
                    start(Stage.FLATTENER, stack, config.toBuilder().stateDir(stateB).build(), "b", logs),
                    start(Stage.SINK, stack, config, "a", logs),
                    start(Stage.SINK, stack, config, "b", logs));
            for (CompletableFuture<ChildJvm> p : starting) processes.add(p.join());
            Runnable healthy = () -> {
                for (ChildJvm p : processes) p.assertAlive();
            };
            GroupTakeover flatteners = new GroupTakeover(admin, config.applicationId());
            GroupTakeover sinks = new GroupTakeover(admin, config.groupId());
            flatteners.awaitTwoMembersSharing(feed.topic(), healthy, WAIT);
            sinks.awaitTwoMembersSharing(config.rowsTopic(), healthy, WAIT);

            Future<?> loading = load.submit(() -> publish(feed, publisher, stop, users));
            Runnable loadHealthy = () -> {
                healthy.run();
                if (loading.isDone()) assertThat(loading).as("the load").succeedsWithin(Duration.ZERO);
            };
            await().atMost(WAIT).until(() -> users.get() >= 200);

            GroupTakeover.Result flattener = flatteners.killAndMeasure("etl flattener",
                    feed.topic(), PARTITIONS, () -> kill(processes, "flattener-a"), TARGET, loadHealthy, WAIT);
            GroupTakeover.Result sink = sinks.killAndMeasure("etl sink",
                    config.rowsTopic(), PARTITIONS, () -> kill(processes, "sink-a"), TARGET, loadHealthy, WAIT);
            stop.set(true);
            loading.get(30, TimeUnit.SECONDS);
            log.info("load stopped after {} users", users.get());

            assertThat(flattener.takenOver()).as("time until the killed flattener's partitions are the survivor's")
                    .isLessThanOrEqualTo(TARGET);
            assertThat(sink.takenOver()).as("time until the killed sink's partitions are the survivor's")
                    .isLessThanOrEqualTo(TARGET);

            Map<Long, BsonDocument> live = new TreeMap<>();
            for (long id = 1; id <= users.get(); id++) live.put(id, feed.document(id));
            await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                healthy.run();
                try (Connection c = stack.connect()) {
                    EtlTables.assertHold(c, SCHEMA, live);
                }
            });
        } finally {
            stop.set(true);
            load.shutdownNow();
            for (ChildJvm p : processes) p.close();
        }
    }

    /** Creates of new users and, every fifth change, an update of an earlier one, a tick's worth at a time. */
    private static Void publish(UserChangeFeed feed, CdcEventPublisher publisher, AtomicBoolean stop, AtomicLong users)
            throws InterruptedException {
        Random random = new Random(SEED);
        long next = System.nanoTime();
        for (int n = 0; !stop.get(); ) {
            List<SourceRecord> tick = new ArrayList<>();
            for (int i = 0; i < PER_TICK; i++, n++) {
                if (n % 5 == 4) {
                    tick.add(feed.update(1 + random.nextLong(users.get())));
                } else {
                    long id = users.get() + 1;
                    tick.addAll(feed.create(id, id));
                    users.set(id);
                }
            }
            publisher.publish(tick);
            next += TICK.toNanos();
            long sleep = next - System.nanoTime();
            if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
        return null;
    }

    private static void kill(List<ChildJvm> processes, String name) throws InterruptedException {
        ChildJvm victim = processes.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        victim.kill();
        processes.remove(victim);
    }

    private static CompletableFuture<ChildJvm> start(Stage stage, TestStack stack, EtlPipelineConfig config, String instance,
                                                     Path logs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return EtlStageProcess.start(stage, stack.bootstrapServers(), stack.registryUrl(), config, instance,
                        logs.resolve(stage.name().toLowerCase() + "-" + instance + ".log"), PROCESS_START);
            } catch (Exception e) {
                throw new IllegalStateException("starting the " + stage + " " + instance + " failed", e);
            }
        });
    }
}
