package io.sluice.ops.lag;

import io.sluice.ops.lag.GroupLag.OffsetSource;
import io.sluice.ops.lag.GroupStatus.Status;
import io.sluice.ops.testing.GroupMember;
import io.sluice.ops.testing.Kafka;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LagReader} and {@link LagTracker} against the real broker and PostgreSQL: a consumer that
 * pauses while production goes on turns LAGGING then STALLED; one that keeps up is OK; a group with
 * committed offsets and no members is IDLE; a sink's {@code sluice_offsets} rows replace Kafka's.
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
    void aGroupWithoutMembersIsIdle(TestStack stack) throws Exception {
        String topic = Kafka.topic(stack, "lag", 1);
        String group = stack.unique("lag-idle");
        try (Admin admin = Kafka.admin(stack); KafkaProducer<String, String> producer = Kafka.producer(stack)) {
            Kafka.send(producer, topic, 50);
            admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(20))).all().get();
            LagReader reader = new LagReader(admin, Optional.empty());
            LagTracker tracker = new LagTracker(STALL);
            GroupStatus s = tracker.update(Instant.now(), reader.read(List.of(group))).getFirst();
            assertThat(s.status()).isEqualTo(Status.IDLE);
            assertThat(s.lag().members()).isZero();
            assertThat(s.lag().partitions()).containsExactly(new PartitionLag(topic, 0, OptionalLong.of(20), 50, 30));
            assertThat(reader.groups()).contains(group);
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
