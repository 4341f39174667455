package io.sluice.ops.lag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.ops.testing.Kafka;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.dcb.EventsSink;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real sink (the events sink) that has stored everything of a transactional topic, committed and
 * aborted transactions, the last one aborted: it keeps "last record + 1" in {@code sluice_offsets},
 * which is short of the last stable offset by the markers and the aborted tail, and {@code sluice lag}
 * shows lag 0, OK while it runs and IDLE once it stopped.
 */
@WithSluiceStack
@Timeout(120)
class SinkLagIT {

    private static final String SCHEMA = "lag_events";

    @Test
    void aSinkThatStoredEverythingOfATransactionalTopicHasNoLag(TestStack stack) throws Exception {
        String topic = stack.unique("dcb.events");
        String group = stack.unique("events-sink");
        TopicAdmin.ensure(stack.connection(), List.of(topic, topic + ".dlq"), 1, Duration.ofSeconds(30));
        Topic<Long, Event> events = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true).dcbEvents().withName(topic);
        try (KafkaProducer<Long, Event> txn = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, stack.unique("lag-events")), events.keySerde().serializer(), events.valueSerde().serializer())) {
            txn.initTransactions();
            // offsets: 0-9 marker 10 | aborted 11-15 marker 16 | 17-26 marker 27 | 28-37 marker 38 | aborted 39-43 marker 44
            transaction(txn, topic, 1, 10, true);
            transaction(txn, topic, 1_001, 5, false);
            transaction(txn, topic, 11, 10, true);
            transaction(txn, topic, 21, 10, true);
            transaction(txn, topic, 2_001, 5, false);
        }
        SinkConfig config = EventsSink.configure(group, stack.connection(), stack.postgres().jdbcUrl(), topic, topic + ".dlq")
                .credentials(stack.postgres().user(), stack.postgres().password()).schema(SCHEMA).build();
        try (EventsSink sink = EventsSink.start(config, events.keySerde().deserializer(), events.valueSerde().deserializer(),
                "sluice_lag_events_it")) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (Kafka.storedNextOffset(stack, SCHEMA, group, topic) < 38) {
                if (!sink.isRunning()) throw new AssertionError("the sink stopped", sink.failure().orElse(null));
                if (System.nanoTime() > deadline) throw new AssertionError("the sink did not store offset 38");
                Thread.sleep(50);
            }
            // the counters move after the PostgreSQL commit returns, so just after the stored offsets
            while (sink.counters().recordsWritten() < 30 && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(sink.counters().recordsWritten()).isEqualTo(30);

            JsonNode running = lag(stack, group);
            assertThat(running.get("members").asInt()).isEqualTo(1);
            assertThat(running.get("status").asText()).isEqualTo("OK");
        }
        assertThat(Kafka.storedNextOffset(stack, SCHEMA, group, topic)).as("last record + 1: before the last committed transaction's marker").isEqualTo(38);
        JsonNode stopped = lag(stack, group);
        assertThat(stopped.get("status").asText()).isEqualTo("IDLE");
        assertThat(stopped.get("partitions").get(0).get("end").asLong()).as("the last stable offset, past the aborted tail").isEqualTo(45);
    }

    /** {@code sluice lag} for the group, checked for what does not depend on it running: lag 0 from PostgreSQL's offsets. */
    private static JsonNode lag(TestStack stack, String group) throws Exception {
        SluiceRun run = SluiceRun.of(stack, "lag", "--group", group, "--interval", "100ms", "--json");
        JsonNode g = new ObjectMapper().readTree(run.ok()).get("groups").get(0);
        assertThat(g.get("source").asText()).isEqualTo("postgres");
        assertThat(g.get("lag").asLong()).as(run.out()).isZero();
        assertThat(g.get("partitions").get(0).get("committed").asLong()).isEqualTo(38);
        return g;
    }

    private static void transaction(KafkaProducer<Long, Event> txn, String topic, long firstPosition, int n, boolean commit) {
        txn.beginTransaction();
        for (long p = firstPosition; p < firstPosition + n; p++) {
            Event e = new Event(p, "Type", List.of("tag:" + p), "{\"n\":" + p + "}", "request-" + p,
                    Instant.parse("2026-11-01T00:00:00Z").plusMillis(p), null, null);
            txn.send(new ProducerRecord<>(topic, 0, p, e));
        }
        txn.flush(); // else an abort drops the unsent records and nothing aborted reaches the log
        if (commit) txn.commitTransaction();
        else txn.abortTransaction();
    }

}
