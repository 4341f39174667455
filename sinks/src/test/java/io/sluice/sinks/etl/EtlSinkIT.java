package io.sluice.sinks.etl;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.etl.AttachmentRow;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.KafkaDeadLetterQueue;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.testing.KafkaFixture;
import io.sluice.sinks.core.testing.RunningSink;
import io.sluice.sinks.etl.testing.EtlTableContents;
import io.sluice.sinks.etl.testing.TestBundles;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import static io.sluice.sinks.etl.testing.TestBundles.bundle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ETL sink end to end: Avro records through the real broker and registry, the sink core, the writer,
 * PostgreSQL with its constraints on. Records go to partition {@code user_id % 3}, so that a user and the
 * one claiming its username share a partition and their order is fixed.
 */
@WithSluiceStack
class EtlSinkIT {

    private static final int PARTITIONS = 3;
    private static final String SCHEMA = "etl";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void writesTheUsersDeadLettersViolatingBundlesAndAReplayGivesIdenticalTables(TestStack stack) throws Exception {
        String topicName = stack.unique("etl.user-rows");
        String dlq = stack.unique("etl.dlq");
        Topic<Long, UserRows> topic = Topics.fromConfig(new AvroSerdeConfig(stack.registryUrl(), true, false))
                .etlUserRows().withName(topicName);
        try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers());
             KafkaProducer<Long, UserRows> producer = producer(stack, topic)) {
            kafka.createTopics(PARTITIONS, topicName);
            kafka.createTopics(1, dlq);
            Map<Long, UserRows> latest = new TreeMap<>();

            String group = stack.unique("etl-sink");
            try (RunningSink sink = RunningSink.start(EtlSink.create(config(stack, group, topicName, dlq), topic), group)) {
                List<UserRows> changes = new ArrayList<>();
                for (long u = 0; u < 60; u++) changes.add(bundle(u, 1));
                for (long u = 0; u < 20; u++) changes.add(bundle(u, 2));
                changes.add(TestBundles.deleted(30));
                changes.add(TestBundles.deleted(31));
                send(producer, topicName, changes, latest);
                producer.send(new ProducerRecord<>(topicName, 31 % PARTITIONS, 31L, null)).get(); // its tombstone
                latest.remove(31L);
                awaitCaughtUp(stack, kafka, sink, group, topicName);
                assertThat(contents(stack.postgres()).rows()).isEqualTo(EtlTableContents.expected(latest.values()).rows());

                // User 61 (same partition as user 1) claims user 1's username; user 64 has an attachment of a message it lacks.
                UserRows takenUsername = TestBundles.withIdentity(bundle(61, 1), "user1", "user61@example.com");
                UserRows orphan = UserRows.newBuilder(bundle(64, 1)).setAttachments(List.of(
                        new AttachmentRow(640_000L, 649_999L, 64L, "lost.png", 1L, "image/png"))).build();
                send(producer, topicName, List.of(takenUsername, bundle(62, 1), orphan, bundle(63, 1)), new HashMap<>());
                latest.put(62L, bundle(62, 1));
                latest.put(63L, bundle(63, 1));
                awaitCaughtUp(stack, kafka, sink, group, topicName);
                assertThat(contents(stack.postgres()).rows()).isEqualTo(EtlTableContents.expected(latest.values()).rows());

                List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAll(dlq, 2, WAIT);
                assertThat(dead).hasSize(2);
                Map<Long, String> errors = new TreeMap<>();
                for (ConsumerRecord<byte[], byte[]> r : dead) {
                    Long key = topic.keySerde().deserializer().deserialize(topicName, r.key());
                    errors.put(key, new String(r.headers().lastHeader(DeadLetter.ERROR_MESSAGE).value(),
                            StandardCharsets.UTF_8));
                }
                assertThat(errors).containsOnlyKeys(61L, 64L);
                assertThat(errors.get(61L)).contains("users_username_key");
                assertThat(errors.get(64L)).contains("attachments_message_id_fkey");
                assertThat(sink.counters().deadLettered()).isEqualTo(2);
            }
            Map<String, String> before = checksums(stack.postgres());

            // Another group reads the topic from the beginning and rewrites every user.
            String replay = stack.unique("etl-replay");
            try (RunningSink sink = RunningSink.start(EtlSink.create(config(stack, replay, topicName, dlq), topic), replay)) {
                awaitCaughtUp(stack, kafka, sink, replay, topicName);
                assertThat(checksums(stack.postgres())).isEqualTo(before)
                        .isEqualTo(EtlTableContents.expected(latest.values()).checksums());
                assertThat(sink.counters().deadLettered()).isEqualTo(2);
            }
        }
    }

    private static SinkConfig config(TestStack stack, String group, String topicName, String dlq) {
        PostgresEndpoint pg = stack.postgres();
        return EtlSink.config(group, stack.connection(), pg.jdbcUrl())
                .credentials(pg.user(), pg.password())
                .topics(topicName)
                .schema(SCHEMA)
                .dlqTopicPattern(dlq)
                .flushInterval(Duration.ofMillis(200))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
    }

    private static KafkaProducer<Long, UserRows> producer(TestStack stack, Topic<Long, UserRows> topic) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** Sends to partition {@code user_id % 3} and waits for the acks; records each user's latest bundle. */
    private static void send(KafkaProducer<Long, UserRows> producer, String topicName, List<UserRows> bundles,
                             Map<Long, UserRows> latest) throws ExecutionException, InterruptedException {
        List<Future<?>> acks = new ArrayList<>();
        for (UserRows b : bundles) {
            acks.add(producer.send(new ProducerRecord<>(topicName, (int) (b.getUserId() % PARTITIONS), b.getUserId(), b)));
            if (b.getDeleted()) latest.remove(b.getUserId());
            else latest.put(b.getUserId(), b);
        }
        producer.flush();
        for (Future<?> ack : acks) ack.get();
    }

    /** Until the group's offsets in PostgreSQL reach the end of every partition. */
    private static void awaitCaughtUp(TestStack stack, KafkaFixture kafka, RunningSink sink, String group, String topicName)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> ends = kafka.endOffsets(topicName, PARTITIONS);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).failFast(sink::assertRunning)
                .until(() -> storedOffsets(stack.postgres(), group).equals(ends));
    }

    private static Map<TopicPartition, Long> storedOffsets(PostgresEndpoint pg, String group) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (Connection c = pg.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT topic, partition, next_offset FROM " + SCHEMA + ".sluice_offsets WHERE group_id = ?")) {
            ps.setString(1, group);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return Map.of(); // not migrated yet
            throw e;
        }
        return stored;
    }

    private static EtlTableContents contents(PostgresEndpoint pg) throws SQLException {
        try (Connection c = pg.connect()) {
            return EtlTableContents.read(c, SCHEMA);
        }
    }

    private static Map<String, String> checksums(PostgresEndpoint pg) throws SQLException {
        return contents(pg).checksums();
    }
}
