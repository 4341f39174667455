package io.sluice.ops.testing;

import io.sluice.common.topics.TopicAdmin;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/** Small broker and database helpers of the ops tests. */
public final class Kafka {

    private Kafka() {
    }

    public static Admin admin(TestStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    /** A new topic, ready to produce to. */
    public static String topic(TestStack stack, String base, int partitions) {
        String topic = stack.unique(base);
        TopicAdmin.ensure(stack.connection(), List.of(topic), partitions, Duration.ofSeconds(30));
        return topic;
    }

    public static KafkaProducer<String, String> producer(TestStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new StringSerializer());
    }

    public static void send(KafkaProducer<String, String> producer, String topic, int n) {
        for (int i = 0; i < n; i++) producer.send(new ProducerRecord<>(topic, Integer.toString(i), "v"));
        producer.flush();
    }

    /** The group's committed offsets in Kafka, "topic-partition" to offset, sorted. */
    public static Map<String, Long> committed(Admin admin, String group) throws ExecutionException, InterruptedException {
        Map<String, Long> out = new TreeMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        offsets.forEach((tp, om) -> {
            if (om != null) out.put(tp.toString(), om.offset());
        });
        return out;
    }

    public static PGSimpleDataSource dataSource(TestStack stack) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(stack.postgres().jdbcUrl());
        ds.setUser(stack.postgres().user());
        ds.setPassword(stack.postgres().password());
        return ds;
    }

    /**
     * The highest next offset a sink group stored in {@code schema.sluice_offsets} for {@code topic};
     * -1 before the sink stored any (or migrated its schema).
     */
    public static long storedNextOffset(TestStack stack, String schema, String group, String topic) throws SQLException {
        try (Connection c = stack.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT coalesce(max(next_offset), -1) FROM " + schema + ".sluice_offsets WHERE group_id = ? AND topic = ?")) {
            ps.setString(1, group);
            ps.setString(2, topic);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return -1; // not migrated yet
            throw e;
        }
    }
}
