package io.sluice.demo;

import io.sluice.common.client.ConnectionSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Counts the records in dead-letter topics by reading them: end offsets alone would also count the
 * transaction markers of the stages that write dead letters in a transaction. Reads committed
 * records only, with no consumer group (nothing is committed).
 */
final class DlqCount {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DlqCount() {
    }

    /** Records in {@code topic}; 0 when it does not exist. */
    static long of(ConnectionSettings connection, String topic) {
        Map<String, Object> props = connection.consumer();
        props.putAll(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
            if (partitions == null || partitions.isEmpty()) return 0;
            List<TopicPartition> assigned = new ArrayList<>();
            for (PartitionInfo p : partitions) assigned.add(new TopicPartition(topic, p.partition()));
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            // read_committed: the end offsets are the last stable offsets, where reading stops.
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, TIMEOUT);
            long count = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reached(consumer, end)) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("could not read " + topic + " to its end in " + TIMEOUT);
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            return count;
        }
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), TIMEOUT) < e.getValue()) return false;
        }
        return true;
    }
}
