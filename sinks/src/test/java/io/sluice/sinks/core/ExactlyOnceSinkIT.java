package io.sluice.sinks.core;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.sinks.core.testing.ItemsTable;
import io.sluice.sinks.core.testing.KafkaFixture;
import io.sluice.sinks.core.testing.RunningSink;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The sink core against the real broker and PostgreSQL. The test table has a primary key and the writer
 * plain INSERTs, so a record written twice is refused and dead-lettered: every test asserts that
 * nothing was dead-lettered that should not have been, which is how a duplicate would show.
 */
@WithSluiceStack
class ExactlyOnceSinkIT {

    private static final int PARTITIONS = 3;
    private static final String SCHEMA = "sluice";
    private static final Duration WAIT = Duration.ofSeconds(45);

    /** One test's topic, group, table and backend name, unique on the shared broker. */
    private record Scenario(TestStack stack, String name, String topic, String group, String appName, ItemsTable table) {
    }

    /** A crash between the writer's INSERTs and the commit: an Error, which the loop never catches. */
    private static final class SimulatedCrash extends Error {
    }

    private KafkaFixture kafka;

    @AfterEach
    void closeKafka() {
        if (kafka != null) kafka.close();
    }

    @Test
    void writesEveryRecordOnceAndCommitsTheOffsetsToPostgresAndKafka(TestStack stack) throws Exception {
        Scenario s = scenario(stack, "basic");
        kafka.produce(s.topic(), 0, 5_000, i -> "payload-" + i);
        try (RunningSink sink = start(s, s.table().writer(), new StringDeserializer())) {
            awaitRows(s, sink, 5_000);
            Map<TopicPartition, Long> ends = kafka.endOffsets(s.topic(), PARTITIONS);
            assertThat(s.table().storedOffsets(s.group())).isEqualTo(ends);
            await().atMost(WAIT).untilAsserted(() -> assertThat(kafka.committedOffsets(s.group())).isEqualTo(ends));
            assertThat(s.table().distinctIds()).isEqualTo(5_000);
            assertThat(sink.counters()).extracting(SinkCounters::recordsWritten, SinkCounters::deadLettered)
                    .containsExactly(5_000L, 0L);
        }
    }

    @Test
    void aCrashBetweenWriteAndCommitLeavesNothingAndARestartWritesEachRecordOnce(TestStack stack) throws Exception {
        Scenario s = scenario(stack, "crash");
        kafka.produce(s.topic(), 0, 3_000, i -> "payload-" + i);
        AtomicInteger flushes = new AtomicInteger();
        SinkWriter<String, String> crashing = (tx, batch) -> {
            s.table().writer().write(tx, batch);
            if (flushes.incrementAndGet() == 4) throw new SimulatedCrash();
        };
        RunningSink first = start(s, crashing, new StringDeserializer());
        assertThatThrownBy(() -> first.done().get(WAIT.toSeconds(), TimeUnit.SECONDS)).hasCauseInstanceOf(SimulatedCrash.class);
        assertThat(first.counters().batches()).isEqualTo(3);

        // The fourth batch's rows went with its transaction: the table holds exactly what the stored
        // offsets cover (every partition starts at offset 0).
        long covered = s.table().storedOffsets(s.group()).values().stream().mapToLong(Long::longValue).sum();
        assertThat(s.table().count()).isEqualTo(covered).isEqualTo(first.counters().recordsWritten()).isBetween(1L, 2_999L);

        try (RunningSink second = start(s, s.table().writer(), new StringDeserializer())) {
            awaitRows(s, second, 3_000);
            assertThat(s.table().distinctIds()).isEqualTo(3_000);
            assertThat(s.table().storedOffsets(s.group())).isEqualTo(kafka.endOffsets(s.topic(), PARTITIONS));
            assertThat(second.counters().recordsWritten()).isEqualTo(3_000 - covered);
            assertThat(second.counters().deadLettered()).isZero();
        }
    }

    @Test
    void survivesPostgresDroppingItsConnectionsMidStream(TestStack stack) throws Exception {
        Scenario s = scenario(stack, "outage");
        int total = 4_000;
        try (RunningSink sink = start(s, s.table().writer(), new StringDeserializer())) {
            kafka.produce(s.topic(), 0, 500, i -> "payload-" + i);
            awaitRows(s, sink, 500); // migrated and positioned before the outage starts
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int from = 500; from < total; from += 100) {
                    kafka.produce(s.topic(), from, from + 100, i -> "payload-" + i);
                    sleep(40);
                }
            });
            // At random moments for 4 s, so that kills land on idle connections, mid-write and mid-commit.
            int terminated = 0;
            for (long end = System.nanoTime() + Duration.ofSeconds(4).toNanos(); System.nanoTime() < end;
                 sleep(ThreadLocalRandom.current().nextLong(10, 250))) {
                terminated += s.table().terminateBackends(s.appName());
            }
            producing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

            awaitRows(s, sink, total);
            assertThat(terminated).isPositive();
            assertThat(s.table().distinctIds()).isEqualTo(total);
            Map<TopicPartition, Long> ends = kafka.endOffsets(s.topic(), PARTITIONS);
            assertThat(s.table().storedOffsets(s.group())).isEqualTo(ends);
            await().atMost(WAIT).untilAsserted(() -> assertThat(kafka.committedOffsets(s.group())).isEqualTo(ends));
            assertThat(sink.counters().retries()).isPositive();
            assertThat(sink.counters().deadLettered()).isZero();
        }
    }

    @Test
    void deadLettersPoisonRecordsWithTheirOriginAndKeepsGoing(TestStack stack) throws Exception {
        Scenario s = scenario(stack, "poison");
        String dlq = s.topic() + ".dlq";
        kafka.createTopics(1, dlq);
        IntFunction<String> value = i -> i % 50 == 7 ? "undeserializable-" + i : i % 70 == 3 ? "reject-" + i : "payload-" + i;
        List<Integer> unreadable = IntStream.range(0, 1_000).filter(i -> value.apply(i).startsWith("undeserializable")).boxed().toList();
        List<Integer> rejected = IntStream.range(0, 1_000).filter(i -> value.apply(i).startsWith("reject")).boxed().toList();
        int good = 1_000 - unreadable.size() - rejected.size();
        Deserializer<String> picky = (topic, data) -> {
            String v = new String(data, StandardCharsets.UTF_8);
            if (v.startsWith("undeserializable")) throw new SerializationException("cannot read " + v);
            return v;
        };
        kafka.produce(s.topic(), 0, 1_000, value);
        try (RunningSink sink = start(s, s.table().writer(), picky)) {
            awaitRows(s, sink, good);
            kafka.produce(s.topic(), 1_000, 1_100, i -> "payload-" + i);
            awaitRows(s, sink, good + 100);

            List<ConsumerRecord<byte[], byte[]>> dead = kafka.readAll(dlq, unreadable.size() + rejected.size(), WAIT);
            Map<Integer, Map<String, String>> headersById = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : dead) {
                assertThat(new String(r.value(), StandardCharsets.UTF_8)).endsWith("-" + new String(r.key(), StandardCharsets.UTF_8));
                headersById.put(Integer.parseInt(new String(r.key(), StandardCharsets.UTF_8)), headers(r));
            }
            assertThat(dead).hasSize(unreadable.size() + rejected.size());
            assertThat(headersById.keySet()).containsExactlyInAnyOrderElementsOf(
                    IntStream.concat(unreadable.stream().mapToInt(i -> i), rejected.stream().mapToInt(i -> i)).boxed().toList());
            assertThat(headersById.get(unreadable.getFirst()))
                    .containsEntry(DeadLetter.TOPIC, s.topic())
                    .containsEntry(DeadLetter.ERROR_CLASS, SerializationException.class.getName())
                    .containsEntry(DeadLetter.STAGE, "it-poison")
                    .containsEntry(DeadLetter.REASON, "deserialization")
                    .containsKeys(DeadLetter.PARTITION, DeadLetter.OFFSET);
            assertThat(headersById.get(rejected.getFirst()))
                    .containsEntry(DeadLetter.ERROR_CLASS, "org.postgresql.util.PSQLException")
                    .containsEntry(DeadLetter.REASON, "constraint-violation")
                    .hasEntrySatisfying(DeadLetter.ERROR_MESSAGE, m -> assertThat(m).contains("check constraint"));
            assertThat(headersById.values()).extracting(h -> h.get(DeadLetter.PARTITION) + "@"
                    + h.get(DeadLetter.OFFSET)).doesNotHaveDuplicates();

            assertThat(s.table().storedOffsets(s.group())).isEqualTo(kafka.endOffsets(s.topic(), PARTITIONS));
            assertThat(sink.counters()).extracting(SinkCounters::recordsWritten, SinkCounters::deadLettered)
                    .containsExactly((long) good + 100, (long) dead.size());
        }
    }

    @Test
    void resumesFromTheOffsetsInPostgresNotFromKafkas(TestStack stack) throws Exception {
        Scenario s = scenario(stack, "resume");
        kafka.produce(s.topic(), 0, 1_000, i -> "payload-" + i);
        try (RunningSink first = start(s, s.table().writer(), new StringDeserializer())) {
            awaitRows(s, first, 1_000);
        }
        // Kafka now says nothing was consumed; PostgreSQL says everything up to 1,000 was written.
        Map<TopicPartition, Long> zero = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) zero.put(new TopicPartition(s.topic(), p), 0L);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> kafka.setCommittedOffsets(s.group(), zero));
        kafka.produce(s.topic(), 1_000, 1_500, i -> "payload-" + i);

        try (RunningSink second = start(s, s.table().writer(), new StringDeserializer())) {
            awaitRows(s, second, 1_500);
            Map<TopicPartition, Long> ends = kafka.endOffsets(s.topic(), PARTITIONS);
            await().atMost(WAIT).untilAsserted(() -> assertThat(kafka.committedOffsets(s.group())).isEqualTo(ends));
            // Re-reading the first 1,000 would have hit the primary key and dead-lettered them.
            assertThat(second.counters()).extracting(SinkCounters::recordsWritten, SinkCounters::deadLettered)
                    .containsExactly(500L, 0L);
        }
    }

    private Scenario scenario(TestStack stack, String name) throws Exception {
        kafka = new KafkaFixture(stack.bootstrapServers());
        String topic = stack.unique("items-" + name);
        kafka.createTopics(PARTITIONS, topic);
        ItemsTable table = ItemsTable.create(stack.postgres(), SCHEMA, "items_" + name);
        return new Scenario(stack, name, topic, stack.unique("sink-" + name), stack.unique("it-" + name), table);
    }

    private static RunningSink start(Scenario s, SinkWriter<String, String> writer, Deserializer<String> values) {
        SinkConfig config = SinkConfig.builder("it-" + s.name(), s.group(),
                        s.stack().connection(), s.stack().postgres().jdbcUrl())
                .credentials(s.stack().postgres().user(), s.stack().postgres().password())
                .topics(s.topic())
                .schema(SCHEMA)
                .applicationName(s.appName())
                .batchSize(200)
                .flushInterval(Duration.ofMillis(200))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        return RunningSink.start(new ExactlyOnceSink<>(config, new StringDeserializer(), values, writer), s.group());
    }

    private static void awaitRows(Scenario s, RunningSink sink, long expected) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).failFast(sink::assertRunning)
                .until(() -> s.table().count() >= expected);
        try {
            assertThat(s.table().count()).isEqualTo(expected);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        return headers;
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
