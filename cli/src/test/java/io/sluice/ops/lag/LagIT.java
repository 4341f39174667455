package io.sluice.ops.lag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ops.lag.GroupLag.OffsetSource;
import io.sluice.ops.lag.GroupStatus.Status;
import io.sluice.ops.testing.GroupMember;
import io.sluice.ops.testing.Kafka;
import io.sluice.ops.testing.PoisonedMember;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LagReader}, {@link LagTracker} and {@code sluice lag} against the real broker and PostgreSQL:
 * a consumer that pauses while production goes on turns LAGGING then STALLED; a stage held on a poison
 * record is STALLED within the window while a moving group is not; one that keeps up is OK; a group
 * without members is ERROR with lag and IDLE without; a drained read_committed consumer of a
 * transactional topic has lag 0 however it stored its offsets; a sink's {@code sluice_offsets} rows
 * replace Kafka's.
 */
@WithSluiceStack
@Timeout(120)
class LagIT {

    private static final Duration STALL = Duration.ofSeconds(3);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(300);

    @Test
    void aConsumerThatPausesWhileProductionGoesOnIsLaggingThenStalled(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "lag", 2);
        String group = stack.unique("lag-paused");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack);
             GroupMember consumer = new GroupMember(stack, group, topic)) {
            Kafka.send(producer, topic, 100);
            LagReader reader = new LagReader(admin, Optional.empty());
            awaitLag(reader, group, 0, consumer);
            consumer.pause();

            LagTracker tracker = new LagTracker(STALL);
            List<Status> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!seen.contains(Status.STALLED) && System.nanoTime() < deadline) {
                Kafka.send(producer, topic, 20);
                GroupStatus s = tracker.update(Instant.now(), reader.read(List.of(group))).getFirst();
                seen.add(s.status());
                assertThat(s.lag().members()).isEqualTo(1);
                Thread.sleep(SAMPLE_EVERY.toMillis());
            }
            consumer.assertRunning();
            assertThat(seen).contains(Status.LAGGING, Status.STALLED);
            assertThat(seen.indexOf(Status.LAGGING)).isLessThan(seen.indexOf(Status.STALLED));
            assertThat(seen).doesNotContain(Status.IDLE);
        }
    }

    @Test
    void aConsumerThatKeepsUpIsOk(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "lag", 3);
        String group = stack.unique("lag-caught-up");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack);
             GroupMember consumer = new GroupMember(stack, group, topic)) {
            LagReader reader = new LagReader(admin, Optional.empty());
            LagTracker tracker = new LagTracker(STALL);
            Kafka.send(producer, topic, 300);
            awaitLag(reader, group, 0, consumer);
            Instant start = Instant.now();
            tracker.update(start, reader.read(List.of(group)));
            Kafka.send(producer, topic, 300);
            awaitLag(reader, group, 0, consumer);
            GroupStatus s = tracker.update(Instant.now(), reader.read(List.of(group))).getFirst();
            assertThat(s.status()).isEqualTo(Status.OK);
            assertThat(s.lag().members()).isEqualTo(1);
            assertThat(s.lag().source()).isEqualTo(OffsetSource.KAFKA);
            assertThat(s.lag().partitions()).hasSize(3).allSatisfy(p -> assertThat(p.lag()).isZero());
            assertThat(s.lag().partitions().stream().mapToLong(p -> p.committed().orElseThrow()).sum()).isEqualTo(600);
            assertThat(s.ratePerSecond()).as("300 offsets over the interval").isPositive();
            assertThat(reader.groups()).contains(group);
        }
    }

    @Test
    void aGroupWithoutMembersButWithLagIsAnErrorAndWithoutLagIdle(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "lag", 1);
        String group = stack.unique("lag-error");
        String caughtUp = stack.unique("lag-idle");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack)) {
            Kafka.send(producer, topic, 50);
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(20))).all().get();
            admin.alterConsumerGroupOffsets(caughtUp, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(50))).all().get();
            LagReader reader = new LagReader(admin, Optional.empty());
            LagTracker tracker = new LagTracker(STALL);
            List<GroupStatus> statuses = tracker.update(Instant.now(), reader.read(List.of(group, caughtUp)));
            GroupStatus s = statuses.getFirst();
            assertThat(s.status()).isEqualTo(Status.ERROR);
            assertThat(s.lag().members()).isZero();
            assertThat(s.lag().partitions()).containsExactly(new PartitionLag(topic, 0, OptionalLong.of(20), 50, 30));
            assertThat(statuses.get(1).status()).isEqualTo(Status.IDLE);
            assertThat(reader.groups()).contains(group, caughtUp);

            SluiceRun run = SluiceRun.of(stack, "lag", "--group", group, "--interval", "100ms");
            assertThat(run.ok()).contains(group + "  ERROR  members 0  lag 30");
        }
    }

    @Test
    void aStageHeldOnAPoisonRecordIsStalledWithinTheWindowWhileAMovingGroupIsNot(TestStack stack) throws Exception {
        String poisoned = Kafka.topic(stack, "lag-poison", 2);
        String moving = Kafka.topic(stack, "lag-moving", 2);
        String stuckGroup = stack.unique("lag-poisoned");
        String movingGroup = stack.unique("lag-moving");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack);
             PoisonedMember stage = new PoisonedMember(stack, stuckGroup, poisoned);
             GroupMember consumer = new GroupMember(stack, movingGroup, moving)) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(poisoned, 0, "k", i == 10 ? PoisonedMember.POISON : "v"));
                producer.send(new ProducerRecord<>(poisoned, 1, "k", "v"));
            }
            producer.flush();
            awaitCommitted(admin, stuckGroup, Map.of(poisoned + "-0", 10L, poisoned + "-1", 20L), stage);
            assertThat(stage.attempts()).as("it retries the poison record").isPositive();

            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feeder = Thread.ofPlatform().daemon().start(() -> {
                while (feeding.get()) {
                    Kafka.send(producer, moving, 10);
                    LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
                }
            });
            long started = System.nanoTime();
            SluiceRun run;
            try {
                run = SluiceRun.of(stack, "lag", "--group", stuckGroup, "--group", movingGroup,
                        "--interval", "500ms", "--stall-after", "3s", "--json");
            } finally {
                feeding.set(false);
                feeder.join(10_000);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            stage.assertRunning();
            consumer.assertRunning();
            Map<String, JsonNode> groups = groups(run.ok());

            JsonNode stuck = groups.get(stuckGroup);
            assertThat(stuck.get("status").asText()).as(run.out()).isEqualTo("STALLED");
            assertThat(stuck.get("members").asInt()).isEqualTo(1);
            assertThat(stuck.get("lag").asLong()).as("the poison record and the 9 behind it").isEqualTo(10);
            assertThat(stuck.get("ratePerSecond").asDouble()).isZero();
            assertThat(groups.get(movingGroup).get("status").asText()).as(run.out()).isIn("OK", "LAGGING");
            assertThat(took).as("a single run waits one window for the verdict, not more")
                    .isBetween(Duration.ofSeconds(3), Duration.ofSeconds(20));
        }
    }

    @Test
    void aDrainedReadCommittedConsumerOfATransactionalTopicHasNoLag(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "lag-txn", 2);
        String byPosition = stack.unique("lag-txn-position"); // commits its position, as Kafka's consumer and Streams do
        String byLastRecord = stack.unique("lag-txn-last");   // commits last record + 1, as the sinks do
        String inPostgres = stack.unique("lag-txn-pg");       // the same, in sluice_offsets
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> txn = transactional(stack)) {
            txn.initTransactions();
            // Committed and aborted transactions; the last one aborted, so aborted records and markers end the log.
            int[] sizes = {5, 5, 4, 3, 6};
            boolean[] commit = {true, true, false, true, false};
            for (int t = 0; t < sizes.length; t++) {
                txn.beginTransaction();
                for (int i = 0; i < sizes[t]; i++) {
                    for (int p = 0; p < 2; p++) txn.send(new ProducerRecord<>(topic, p, "k", commit[t] ? "v" : "aborted"));
                }
                txn.flush(); // else an abort drops the unsent records and nothing aborted reaches the log
                if (commit[t]) txn.commitTransaction();
                else txn.abortTransaction();
            }
            Map<TopicPartition, Long> last = drain(stack, topic, byPosition);
            assertThat(last).hasSize(2);
            Map<TopicPartition, OffsetAndMetadata> lastPlusOne = new HashMap<>();
            last.forEach((tp, offset) -> lastPlusOne.put(tp, new OffsetAndMetadata(offset + 1)));
            admin.alterConsumerGroupOffsets(byLastRecord, lastPlusOne).all().get();
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE SCHEMA lag_txn");
                st.execute("CREATE TABLE lag_txn.sluice_offsets (group_id text NOT NULL, topic text NOT NULL,"
                        + " partition integer NOT NULL, next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),"
                        + " PRIMARY KEY (group_id, topic, partition))");
                for (var e : lastPlusOne.entrySet()) {
                    st.execute("INSERT INTO lag_txn.sluice_offsets (group_id, topic, partition, next_offset) VALUES ('"
                            + inPostgres + "', '" + topic + "', " + e.getKey().partition() + ", " + e.getValue().offset() + ")");
                }
            }
            GroupLag raw = new LagReader(admin, Optional.empty()).read(List.of(byLastRecord)).getFirst();
            assertThat(raw.totalLag()).as("from last record + 1, markers and aborted records would count").isEqualTo(2 * (1 + 6 + 1));

            assertDrained(stack, topic, byPosition, byLastRecord, inPostgres);

            // An open transaction is not lag either: a read_committed consumer cannot read it yet.
            txn.beginTransaction();
            txn.send(new ProducerRecord<>(topic, 0, "k", "pending"));
            txn.flush();
            assertDrained(stack, topic, byPosition, byLastRecord, inPostgres);
            txn.abortTransaction();
        }
    }

    private static void assertDrained(TestStack stack, String topic, String... groups) throws Exception {
        List<String> args = new ArrayList<>(List.of("lag", "--interval", "100ms", "--json"));
        for (String g : groups) args.addAll(List.of("--group", g));
        SluiceRun run = SluiceRun.of(stack, args.toArray(String[]::new));
        Map<String, JsonNode> byGroup = groups(run.ok());
        for (String g : groups) {
            JsonNode n = byGroup.get(g);
            assertThat(n.get("lag").asLong()).as(g + ": " + run.out()).isZero();
            assertThat(n.get("status").asText()).as(g).isEqualTo("IDLE");
            assertThat(n.get("partitions")).hasSize(2).allSatisfy(p -> {
                assertThat(p.get("topic").asText()).isEqualTo(topic);
                assertThat(p.get("lag").asLong()).isZero();
            });
        }
    }

    /** Reads the topic to its end with read_committed as {@code group}, commits the position; the last offset read per partition. */
    private static Map<TopicPartition, Long> drain(TestStack stack, String topic, String group) {
        Map<TopicPartition, Long> last = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int read = 0;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) throw new AssertionError("did not drain " + topic);
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    assertThat(r.value()).isEqualTo("v");
                    last.put(new TopicPartition(r.topic(), r.partition()), r.offset());
                    read++;
                }
            }
            assertThat(read).as("the committed transactions' records").isEqualTo(2 * (5 + 5 + 3));
            consumer.commitSync();
        }
        return last;
    }

    private static KafkaProducer<String, String> transactional(TestStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, stack.unique("lag-txn"),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new StringSerializer());
    }

    private static Map<String, JsonNode> groups(String json) throws Exception {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode g : new ObjectMapper().readTree(json).get("groups")) out.put(g.get("group").asText(), g);
        return out;
    }

    private static void awaitCommitted(Admin admin, String group, Map<String, Long> expected, PoisonedMember stage) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Kafka.committed(admin, group).equals(expected)) {
            stage.assertRunning();
            if (System.nanoTime() > deadline) throw new AssertionError(group + " committed " + Kafka.committed(admin, group));
            Thread.sleep(100);
        }
    }

    @Test
    void aSinksOffsetsStoredInPostgresAreReportedInsteadOfKafkas(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "lag", 2);
        String group = stack.unique("lag-sink");
        String schema = "lag_sink";
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
            st.execute("CREATE TABLE " + schema + ".sluice_offsets (group_id text NOT NULL, topic text NOT NULL,"
                    + " partition integer NOT NULL, next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (group_id, topic, partition))");
            st.execute("INSERT INTO " + schema + ".sluice_offsets (group_id, topic, partition, next_offset) VALUES ('"
                    + group + "', '" + topic + "', 0, 7), ('" + group + "', '" + topic + "', 1, 9)");
        }
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack)) {
            for (int p = 0; p < 2; p++) {
                for (int i = 0; i < 10; i++) producer.send(new ProducerRecord<>(topic, p, "k", "v")).get();
            }
            // Kafka lags behind PostgreSQL, as after a sink's failed Kafka commit.
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(3))).all().get();

            GroupLag withPg = new LagReader(admin, Optional.of(Kafka.dataSource(stack))).read(List.of(group)).getFirst();
            assertThat(withPg.source()).isEqualTo(OffsetSource.POSTGRES);
            assertThat(withPg.partitions()).containsExactly(
                    new PartitionLag(topic, 0, OptionalLong.of(7), 10, 3),
                    new PartitionLag(topic, 1, OptionalLong.of(9), 10, 1));

            GroupLag kafkaOnly = new LagReader(admin, Optional.empty()).read(List.of(group)).getFirst();
            assertThat(kafkaOnly.source()).isEqualTo(OffsetSource.KAFKA);
            assertThat(kafkaOnly.totalLag()).isEqualTo(14);

            String pgOnly = stack.unique("lag-pg-only");
            try (Connection c = stack.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO " + schema + ".sluice_offsets (group_id, topic, partition, next_offset) VALUES ('"
                        + pgOnly + "', '" + topic + "', 0, 10)");
            }
            assertThat(new LagReader(admin, Optional.of(Kafka.dataSource(stack))).groups()).contains(group, pgOnly);
        }
    }

    private static void awaitLag(LagReader reader, String group, long lag, GroupMember consumer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            consumer.assertRunning();
            GroupLag g = reader.read(List.of(group)).getFirst();
            if (g.members() > 0 && !g.partitions().isEmpty() && g.totalLag() == lag
                    && g.partitions().stream().allMatch(p -> p.committed().isPresent())) return;
            Thread.sleep(100);
        }
        throw new AssertionError("group " + group + " did not reach lag " + lag + ": " + reader.read(List.of(group)));
    }
}
