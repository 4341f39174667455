package io.sluice.cli.etl;

import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How many bundles of a rows topic a sink group has committed to PostgreSQL: the records whose offsets
 * lie below the group's stored next offsets in {@code sluice_offsets}. The topic's record offsets are
 * read once, with read_committed (a transactional topic's offsets have gaps for the commit markers),
 * waiting until all {@code records} the topic is to hold are there.
 */
final class StoredProgress {

    private final TestStack stack;
    private final String topic;
    private final String schema;
    private final String group;
    private final long records;
    private Map<Integer, List<Long>> offsets;

    StoredProgress(TestStack stack, String topic, String schema, String group, long records) {
        this.stack = stack;
        this.topic = topic;
        this.schema = schema;
        this.group = group;
        this.records = records;
    }

    long committedBundles() throws SQLException {
        Map<Integer, Long> stored = new HashMap<>();
        try (Connection c = stack.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT partition, next_offset FROM " + schema + ".sluice_offsets WHERE group_id = ? AND topic = ?")) {
            ps.setString(1, group);
            ps.setString(2, topic);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) stored.put(rs.getInt(1), rs.getLong(2));
            }
        }
        long committed = 0;
        for (Map.Entry<Integer, List<Long>> p : offsets().entrySet()) {
            long next = stored.getOrDefault(p.getKey(), 0L);
            committed += p.getValue().stream().filter(o -> o < next).count();
        }
        return committed;
    }

    private Map<Integer, List<Long>> offsets() {
        if (offsets != null) return offsets;
        Map<Integer, List<Long>> read = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            long count = 0;
            while (count < records) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("read " + count + " of " + records + " records of " + topic);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r.offset());
                    count++;
                }
            }
        }
        offsets = read;
        return offsets;
    }
}
