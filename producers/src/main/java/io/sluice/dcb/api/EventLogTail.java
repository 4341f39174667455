package io.sluice.dcb.api;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.dcb.Event;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Finds the position of the last committed event in dcb.events, once, when the API starts: the
 * appends acknowledged before a restart are visible to reads only once the sink has caught up to
 * it. Reads back from the end (read_committed: the last stable offset) in growing steps, since
 * transaction markers and aborted records leave offsets without events. Also checks that the log
 * has one partition, which the read fence depends on.
 */
final class EventLogTail {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private EventLogTail() {
    }

    /** @return the last position, 0 when the log is empty */
    static long lastPosition(ConnectionSettings connection, String topic, Deserializer<Event> values) {
        Map<String, Object> props = connection.consumer();
        props.putAll(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "sluice-dcb-api-tail"));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
            if (partitions == null || partitions.size() != 1) {
                throw new IllegalStateException(topic + " must exist with exactly one partition (positions are ordered by"
                        + " it and the read fence relies on that), found " + (partitions == null ? 0 : partitions.size()));
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (long back = 64; ; back *= 8) {
                long start = Math.max(0, end - back);
                consumer.seek(tp, start);
                long last = 0;
                while (consumer.position(tp) < end) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("reading the end of " + topic + " took longer than " + TIMEOUT);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        if (r.offset() < end && r.value() != null) {
                            last = Math.max(last, values.deserialize(topic, r.headers(), r.value()).getPosition());
                        }
                    }
                }
                if (last > 0 || start == 0) return last;
            }
        }
    }
}
