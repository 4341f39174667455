package io.sluice.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ops.testing.Kafka;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.dcb.EventsSink;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCB workload's replay: the events sink keeps its offsets in {@code sluice_offsets};
 * {@code sluice replay --to-earliest} moves them (and Kafka's), {@code sluice lag} reports them, and
 * a rerun of the sink re-reads every event and leaves the events table as the first run did; a
 * different event at a stored position is still dead-lettered.
 */
@WithSluiceStack
@Timeout(120)
class EventsSinkReplayIT {

    private static final int EVENTS = 1_000;
    private static final String SCHEMA = "replay_dcb";

    @Test
    void aReplayedSinkReReadsEveryEventAndLeavesTheSameTable(TestStack stack) throws Exception {
        String topic = stack.unique("dcb.events");
        String group = stack.unique("events-sink");
        TopicAdmin.ensure(stack.connection(), List.of(topic, topic + ".dlq"), 1, Duration.ofSeconds(30));
        Topic<Long, Event> events = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true).dcbEvents().withName(topic);
        produce(stack, events);
        SinkConfig config = EventsSink.configure(group, stack.connection(), stack.postgres().jdbcUrl(), topic, topic + ".dlq")
                .credentials(stack.postgres().user(), stack.postgres().password()).schema(SCHEMA).build();

        try (EventsSink first = start(config, events)) {
            awaitStored(stack, first, group, topic, EVENTS);
        }
        String table = checksum(stack);

        SluiceRun replay = SluiceRun.of(stack, "replay", "--group", group, "--to-earliest", "--execute");
        assertThat(replay.ok()).contains("(sink: sluice_offsets in PostgreSQL, then Kafka offsets)")
                .containsPattern(topic + "\\s+0\\s+" + String.format("%,d", EVENTS) + "\\s+0");
        assertThat(Kafka.storedNextOffset(stack, SCHEMA, group, topic)).isZero();
        try (Admin admin = Kafka.admin(stack)) {
            assertThat(Kafka.committed(admin, group)).containsExactly(Map.entry(topic + "-0", 0L));
        }
        JsonNode lag = new ObjectMapper().readTree(SluiceRun.of(stack, "lag", "--group", group, "--interval", "100ms", "--json").ok())
                .get("groups").get(0);
        assertThat(lag.get("source").asText()).isEqualTo("postgres");
        assertThat(lag.get("lag").asLong()).isEqualTo(EVENTS);

        try (EventsSink rerun = start(config, events)) {
            awaitStored(stack, rerun, group, topic, EVENTS);
            awaitCounted(rerun, EVENTS);
            assertThat(rerun.counters().recordsWritten()).as("the rerun re-read every event").isEqualTo(EVENTS);
            assertThat(rerun.counters().deadLettered()).isZero();
        }
        assertThat(checksum(stack)).isEqualTo(table);

        // A different event at a stored position is still refused (dead-lettered), not taken for a replay.
        produce(stack, events, List.of(new Event(1L, "Other", List.of(), "{}", "request-x", Instant.parse("2026-11-02T00:00:00Z"), null, null),
                event(EVENTS + 1)));
        try (EventsSink third = start(config, events)) {
            awaitStored(stack, third, group, topic, EVENTS + 2);
            awaitCounted(third, 1);
            assertThat(third.counters().deadLettered()).isEqualTo(1);
            assertThat(third.counters().recordsWritten()).isEqualTo(1);
        }
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), (SELECT type FROM " + SCHEMA + ".events WHERE position = 1) FROM "
                     + SCHEMA + ".events")) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(EVENTS + 1);
            assertThat(rs.getString(2)).isEqualTo("Type1");
        }
    }

    private static EventsSink start(SinkConfig config, Topic<Long, Event> events) {
        return EventsSink.start(config, events.keySerde().deserializer(), events.valueSerde().deserializer(), "sluice_dcb_events_replay_it");
    }

    private static void produce(TestStack stack, Topic<Long, Event> topic) {
        List<Event> all = new ArrayList<>();
        for (long p = 1; p <= EVENTS; p++) all.add(event(p));
        produce(stack, topic, all);
    }

    private static Event event(long p) {
        return new Event(p, "Type" + (p % 3), List.of("tag:" + p, "mod:" + (p % 4)), "{\"n\":" + p + "}",
                "request-" + p, Instant.parse("2026-11-01T00:00:00Z").plusMillis(p), null, null);
    }

    private static void produce(TestStack stack, Topic<Long, Event> topic, List<Event> events) {
        try (KafkaProducer<Long, Event> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (Event e : events) producer.send(new ProducerRecord<>(topic.name(), 0, e.getPosition(), e));
        }
    }

    /** The counters move after the PostgreSQL commit returns, so just after the stored offsets do. */
    private static void awaitCounted(EventsSink sink, long written) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sink.counters().recordsWritten() < written && System.nanoTime() < deadline) Thread.sleep(20);
    }

    private static void awaitStored(TestStack stack, EventsSink sink, String group, String topic, long next) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Kafka.storedNextOffset(stack, SCHEMA, group, topic) < next) {
            if (!sink.isRunning()) throw new AssertionError("the sink stopped", sink.failure().orElse(null));
            if (System.nanoTime() > deadline) throw new AssertionError("the sink did not store offset " + next);
            Thread.sleep(50);
        }
    }


    /** Row count and an md5 of every column of every row, in position order. */
    private static String checksum(TestStack stack) throws SQLException {
        try (Connection c = stack.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) || ':' || md5(string_agg(position || '|' || type || '|' || tags::text || '|' || data || '|'"
                        + " || extract(epoch FROM appended_at)::text, E'\\n' ORDER BY position)) FROM " + SCHEMA + ".events")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith(EVENTS + ":");
            return rs.getString(1);
        }
    }
}
