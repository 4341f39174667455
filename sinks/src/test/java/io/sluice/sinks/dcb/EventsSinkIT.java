package io.sluice.sinks.dcb;

import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkMigrations;
import io.sluice.sinks.core.testing.KafkaFixture;
import io.sluice.sinks.dcb.EventLogGuard.OnOtherLog;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.postgresql.ds.PGSimpleDataSource;

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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The events sink against the real broker, registry and PostgreSQL: every event of dcb.events
 * becomes one row with its position, type, tags and data; each batch announces its highest
 * position on the NOTIFY channel once committed; the indexes for tag and type queries exist; and
 * the events table stays tied to one log.
 */
@WithSluiceStack
class EventsSinkIT {

    private static final String CHANNEL = "sluice_dcb_events_it";

    @Test
    void writesEveryEventOnceAndAnnouncesTheCommittedPosition(TestStack stack) throws Exception {
        String topic = stack.unique("dcb.events");
        Topics topics = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        Topic<Long, Event> events = topics.dcbEvents().withName(topic);
        try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers())) {
            kafka.createTopics(1, topic);
        }
        try (Connection listener = stack.connect()) {
            try (Statement st = listener.createStatement()) {
                st.execute("LISTEN " + CHANNEL);
            }
            produce(stack, events, 1, 2_000);
            SinkConfig config = EventsSink.configure(stack.unique("events-sink"), stack.connection(),
                    stack.postgres().jdbcUrl(), topic, topic + ".dlq").credentials(stack.postgres().user(), "").build();
            try (EventsSink sink = EventsSink.start(config, events.keySerde().deserializer(), events.valueSerde().deserializer(),
                    CHANNEL)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> count(stack) >= 2_000);
                long announced = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (announced < 2_000 && System.nanoTime() < deadline) {
                    PGNotification[] notifications = listener.unwrap(PGConnection.class).getNotifications(200);
                    if (notifications == null) continue;
                    for (PGNotification n : notifications) announced = Math.max(announced, Long.parseLong(n.getParameter()));
                }
                assertThat(announced).isEqualTo(2_000);
                assertThat(sink.counters().deadLettered()).isZero();
                assertThat(sink.isRunning()).isTrue();
            }
        }
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(DISTINCT position), min(position), max(position) FROM events WHERE position <= 9000")) {
                rs.next();
                assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3))).containsExactly(2_000L, 1L, 2_000L);
            }
            try (ResultSet rs = st.executeQuery("SELECT type, tags, data FROM events WHERE position = 7")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("Type1");
                assertThat((String[]) rs.getArray(2).getArray()).containsExactly("tag:7", "mod:3");
                assertThat(rs.getString(3)).isEqualTo("{\"n\":7}");
            }
            List<String> indexes = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT indexdef FROM pg_indexes WHERE tablename = 'events'")) {
                while (rs.next()) indexes.add(rs.getString(1));
            }
            assertThat(indexes).anySatisfy(i -> assertThat(i).contains("USING gin (tags)"))
                    .anySatisfy(i -> assertThat(i).contains("USING btree (type, \"position\")"));
        }
    }

    @Test
    void theEventsTableStaysTiedToOneLog(TestStack stack) throws SQLException {
        PGSimpleDataSource db = new PGSimpleDataSource();
        db.setUrl(stack.postgres().jdbcUrl());
        db.setUser(stack.postgres().user());
        SinkMigrations.migrate(db, "public");
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            EventLogGuard.adopt(c, "guarded", "id-1", "group", OnOtherLog.FAIL);
            EventLogGuard.adopt(c, "guarded", "id-1", "group", OnOtherLog.FAIL);
            st.execute("INSERT INTO events VALUES (9001, 'T', '{}', 'old log', now())");
            st.execute("INSERT INTO sluice_offsets (group_id, topic, partition, next_offset) VALUES ('group', 'guarded', 0, 42)");
            c.commit();

            assertThatThrownBy(() -> EventLogGuard.adopt(c, "guarded", "id-2", "group", OnOtherLog.FAIL))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("another guarded log");
            EventLogGuard.adopt(c, "guarded", "id-2", "group", OnOtherLog.RESET);
            try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM events WHERE position = 9001),"
                    + " (SELECT count(*) FROM sluice_offsets WHERE group_id = 'group'),"
                    + " (SELECT topic_id FROM dcb_event_log WHERE topic = 'guarded')")) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getString(3)).isEqualTo("id-2");
            }
            c.commit();
        }
    }

    private static void produce(TestStack stack, Topic<Long, Event> topic, long from, long to) {
        try (KafkaProducer<Long, Event> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (long p = from; p <= to; p++) {
                Event event = new Event(p, "Type" + (p % 3), List.of("tag:" + p, "mod:" + (p % 4)), "{\"n\":" + p + "}",
                        "request-" + p, Instant.now(), null, null);
                producer.send(new ProducerRecord<>(topic.name(), 0, p, event));
            }
        }
    }

    private static long count(TestStack stack) throws SQLException {
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM events WHERE position <= 9000")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // not migrated yet
            throw e;
        }
    }
}
