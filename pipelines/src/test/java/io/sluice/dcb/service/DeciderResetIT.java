package io.sluice.dcb.service;

import io.sluice.dcb.api.DcbApi;
import io.sluice.dcb.service.check.ConsistencyFixture;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.DeciderProcess;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.ops.lag.GroupLag;
import io.sluice.ops.lag.LagReader;
import io.sluice.ops.lag.PartitionLag;
import io.sluice.ops.replay.ReplayTarget;
import io.sluice.ops.replay.Replayer;
import io.sluice.sinks.dcb.EventsSink;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import com.fasterxml.jackson.core.type.TypeReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reruns of the decider against the real stack, the decider in a JVM of its own: a load of
 * conditional appends (some under an Idempotency-Key, some whose condition fails), then the
 * decider is stopped and reset, and started again. After a full reset ({@code sluice replay}:
 * StreamsResetter to earliest, changelogs and local state deleted), a partial reset (its input
 * moved back, its state kept) and a full reset after retention deleted the oldest commands,
 * dcb.events holds exactly the records it held before, the dcb.events consistency check passes,
 * every acknowledged append is readable, and the next append gets the next position. And a client
 * retry under the same Idempotency-Key after a timeout (the decider stopped) appends once.
 */
@WithSluiceStack
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DeciderResetIT {

    private static final Logger log = LoggerFactory.getLogger(DeciderResetIT.class);
    private static final int WRITERS = 6;
    private static final int APPENDS = 120;
    private static final int MOVED_BACK = 60;
    private static final Duration START = Duration.ofSeconds(90);

    private enum Reset { FULL, PARTIAL, RETENTION }

    @Test
    void aFullResetRebuildsTheDeciderFromItsLogAndLeavesTheLogUnchanged(TestStack stack, @TempDir Path stateDir,
                                                                        @TempDir Path logs) throws Exception {
        rerun(stack, stateDir, logs, Reset.FULL);
    }

    @Test
    void aPartialResetLeavesTheLogUnchanged(TestStack stack, @TempDir Path stateDir, @TempDir Path logs) throws Exception {
        rerun(stack, stateDir, logs, Reset.PARTIAL);
    }

    @Test
    void aFullResetAfterRetentionDeletedTheOldestCommandsLeavesTheLogUnchanged(TestStack stack, @TempDir Path stateDir,
                                                                              @TempDir Path logs) throws Exception {
        rerun(stack, stateDir, logs, Reset.RETENTION);
    }

    @Test
    void aClientRetryUnderTheSameKeyAfterATimeoutAppendsOnce(TestStack stack, @TempDir Path stateDir,
                                                             @TempDir Path logs) throws Exception {
        DcbServiceConfig config = config(stack, stateDir, "retry");
        config = config.withApi(config.api().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)));
        DcbService.prepare(config, line -> { });
        DeciderProcess decider = DeciderProcess.start(config.deciderConfig(), logs.resolve("decider-1.log"), START);
        try (EventsSink sink = DcbService.startSink(config); DcbApi api = DcbApi.start(config.api());
             DcbClient client = new DcbClient(api.baseUri()); Admin admin = Admin.create(stack.connection().admin())) {
            client.append(List.of(DcbClient.event("Opened", List.of("account:a"), "{}")), null);
            // Appends only if nothing about the account came after position 1: its own event would
            // fail a second decision of it, so only an answer from memory can say "appended" twice.
            Map<String, Object> account = DcbClient.query(List.of(DcbClient.item(List.of(), List.of("account:a"))));
            String body = DcbClient.write(Map.of("events", List.of(DcbClient.event("Deposited", List.of("account:a"), "{\"n\":1}")),
                    "condition", DcbClient.condition(account, 1L)));
            decider.kill();
            HttpResponse<String> timedOut = client.post("/append", body, "deposit-1");
            assertThat(timedOut.statusCode()).as(timedOut.body()).isEqualTo(503);

            decider = DeciderProcess.start(config.deciderConfig(), logs.resolve("decider-2.log"), START);
            assertAppendedOnce(client, body);

            // And again after a full reset: the key is remembered from the log.
            decider.kill();
            fullReset(admin, stack, config);
            decider = DeciderProcess.start(config.deciderConfig(), logs.resolve("decider-3.log"), START);
            assertAppendedOnce(client, body);
            awaitDecided(admin, config);
            assertThat(committedLog(stack, config)).hasSize(2);
        } finally {
            decider.close();
        }
    }

    private static void assertAppendedOnce(DcbClient client, String body) throws InterruptedException {
        HttpResponse<String> retry = retry(client, body, "deposit-1");
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        assertThat(DcbClient.parse(retry.body(), new TypeReference<DcbClient.AppendResponse>() { }).appendConditionFailed())
                .as("the retry answered with the first result").isFalse();
        assertThat(client.readAll()).extracting(ReadEvent::type).containsExactly("Opened", "Deposited");
    }

    private static HttpResponse<String> retry(DcbClient client, String body, String key) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = client.post("/append", body, key);
            if (response.statusCode() != 503 || attempt == 30) return response;
            Thread.sleep(500);
        }
    }

    /** The test's own topics, and its own schema in the class's database. */
    private static DcbServiceConfig config(TestStack stack, Path stateDir, String name) {
        DcbServiceConfig config = TestServices.config(stack, stateDir);
        return config.withApi(config.api().withSchema("reset_" + name));
    }

    private void rerun(TestStack stack, Path stateDir, Path logs, Reset reset) throws Exception {
        DcbServiceConfig config = config(stack, stateDir, reset.name().toLowerCase(java.util.Locale.ROOT));
        DcbService.prepare(config, line -> { });
        DeciderProcess decider = DeciderProcess.start(config.deciderConfig(), logs.resolve("decider-1.log"), START);
        try (EventsSink sink = DcbService.startSink(config); DcbApi api = DcbApi.start(config.api());
             DcbClient client = new DcbClient(api.baseUri()); Admin admin = Admin.create(stack.connection().admin())) {
            Load load = load(client);
            awaitDecided(admin, config);
            List<String> before = committedLog(stack, config);
            log.info("{}: {} appends ({} under a key), {} failed conditions, {} events in dcb.events", reset, load.appended,
                    load.keyed, load.failed, before.size());
            assertThat(load.failed.get()).as("the writers contended").isPositive();
            assertThat(before).hasSize((int) load.events.get());

            decider.kill();
            TopicPartition commands = new TopicPartition(config.deciderConfig().commandsTopic(), 0);
            switch (reset) {
                case FULL -> fullReset(admin, stack, config);
                case PARTIAL -> {
                    long committed = awaitIdle(admin, config).partitions().stream().filter(p -> p.topic().equals(commands.topic()))
                            .findFirst().orElseThrow().committed().orElseThrow();
                    admin.alterConsumerGroupOffsets(config.deciderConfig().applicationId(),
                            Map.of(commands, new OffsetAndMetadata(committed - MOVED_BACK))).all().get(30, TimeUnit.SECONDS);
                }
                case RETENTION -> {
                    long end = admin.listOffsets(Map.of(commands, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                            .partitionResult(commands).get(30, TimeUnit.SECONDS).offset();
                    admin.deleteRecords(Map.of(commands, RecordsToDelete.beforeOffset(end / 2))).all().get(30, TimeUnit.SECONDS);
                    fullReset(admin, stack, config);
                }
            }
            decider = DeciderProcess.start(config.deciderConfig(), logs.resolve("decider-2.log"), START);
            awaitDecided(admin, config);
            List<String> after = committedLog(stack, config);
            log.info("{}: {} records in dcb.events before the rerun, {} after; positions after: {}", reset, before.size(),
                    after.size(), positionsSummary(stack, config));
            assertThat(after).as("dcb.events after the %s reset", reset).isEqualTo(before);
            if (reset != Reset.PARTIAL) {
                assertThat(java.nio.file.Files.readString(logs.resolve("decider-2.log"))).as("the decider's log")
                        .contains("decider stores caught up from dcb.events: positions 1 to " + before.size());
            }

            List<ReadEvent> all = client.readAll();
            assertThat(all).hasSize(before.size());
            assertThat(all.stream().filter(DeciderResetIT::firstOfItsAppend).count()).as("acknowledged appends readable")
                    .isEqualTo(load.appended.get());
            assertThat(ConsistencyFixture.check(client, all)).as("the dcb.events consistency check").isEmpty();

            client.append(List.of(DcbClient.event("AfterTheRerun", List.of("tag0"), "{}")), null);
            assertThat(client.readAll().getLast().position()).as("the next position").isEqualTo(before.size() + 1L);
        } finally {
            decider.close();
        }
    }

    private record Load(AtomicInteger appended, AtomicInteger keyed, AtomicInteger failed, AtomicLong events) {
    }

    /** {@link #WRITERS} writers append under the consistency scenario's conditions until {@link #APPENDS} succeeded. */
    private static Load load(DcbClient client) throws Exception {
        Load load = new Load(new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicLong());
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    Random random = new Random(500 + writer);
                    for (int n = 0; load.appended.get() < APPENDS; n++) {
                        Map<String, Object> query = ConsistencyFixture.query(random);
                        ReadEvent last = client.readLast(query);
                        long lastPosition = last == null ? 0 : last.position();
                        List<Map<String, Object>> batch = ConsistencyFixture.events(random, query, lastPosition);
                        String key = n % 3 == 0 ? "w" + writer + "-" + n : null;
                        if (client.append(batch, DcbClient.condition(query, lastPosition), key).appendConditionFailed()) {
                            load.failed.incrementAndGet();
                        } else {
                            load.appended.incrementAndGet();
                            if (key != null) load.keyed.incrementAndGet();
                            load.events.addAndGet(batch.size());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        return load;
    }

    private static boolean firstOfItsAppend(ReadEvent event) {
        Map<String, Object> data = DcbClient.parse(event.data(), new TypeReference<>() { });
        return data.containsKey("batchIndex") && ((Number) data.get("batchIndex")).intValue() == 0;
    }

    /** What {@code sluice replay --group <decider> --to-earliest} does. */
    private static void fullReset(Admin admin, TestStack stack, DcbServiceConfig config) {
        awaitIdle(admin, config);
        Replayer replayer = new Replayer(admin, stack.connection(), Optional.empty(), config.deciderConfig().stateDir());
        replayer.apply(replayer.plan(config.deciderConfig().applicationId(), new ReplayTarget.ToEarliest(), List.of(), true, false));
    }

    /** Waits until the stopped decider has left its group (its session timed out). */
    private static GroupLag awaitIdle(Admin admin, DcbServiceConfig config) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            GroupLag group = new LagReader(admin, Optional.empty()).read(List.of(config.deciderConfig().applicationId())).getFirst();
            if (group.members() == 0) return group;
            assertThat(System.nanoTime()).as("the decider left its group in time").isLessThan(deadline);
            sleep(500);
        }
    }

    /** Waits until the decider has committed every command (its events commit with it). */
    private static void awaitDecided(Admin admin, DcbServiceConfig config) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            GroupLag group = new LagReader(admin, Optional.empty()).read(List.of(config.deciderConfig().applicationId())).getFirst();
            Optional<PartitionLag> commands = group.partitions().stream()
                    .filter(p -> p.topic().equals(config.deciderConfig().commandsTopic())).findFirst();
            if (commands.isPresent() && commands.get().committed().isPresent() && commands.get().lag() == 0) return;
            assertThat(System.nanoTime()).as("the decider decided every command in time").isLessThan(deadline);
            sleep(200);
        }
    }

    /** The committed records of dcb.events, each as its key and value bytes, in log order. */
    private static List<String> committedLog(TestStack stack, DcbServiceConfig config) {
        List<String> records = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readEvents(stack, config)) {
            records.add(HexFormat.of().formatHex(r.key()) + " " + HexFormat.of().formatHex(r.value()));
        }
        return records;
    }

    /** How many records dcb.events holds and how many distinct positions (keys) among them. */
    private static String positionsSummary(TestStack stack, DcbServiceConfig config) {
        List<ConsumerRecord<byte[], byte[]>> records = readEvents(stack, config);
        long distinct = records.stream().map(r -> HexFormat.of().formatHex(r.key())).distinct().count();
        return records.size() + " records, " + distinct + " distinct positions";
    }

    private static List<ConsumerRecord<byte[], byte[]>> readEvents(TestStack stack, DcbServiceConfig config) {
        TopicPartition tp = new TopicPartition(config.api().eventsTopic(), 0);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, Object> props = new java.util.HashMap<>(stack.connection().consumer());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) records.add(r);
            }
        }
        return records;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
