package io.sluice.dcb.decider;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * dcb.events read by a {@code read_committed} consumer of its own (no group, no committed
 * offsets) from the beginning to the last stable offset. The topic has one partition
 * ({@code DcbTopics} refuses more), so offset order is position order.
 *
 * <p>TODO(speed): every task start reads the whole topic and skips what the stores hold; a seek
 * near the end (positions grow with offsets) would make a clean restart of a large log cheap.
 */
final class KafkaEventLog implements EventLog {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ConnectionSettings connection;
    private final String topic;
    private final Deserializer<Event> values;

    KafkaEventLog(ConnectionSettings connection, String topic, Deserializer<Event> values) {
        this.connection = connection;
        this.topic = topic;
        this.values = values;
    }

    @Override
    public void eventsAfter(long position, Consumer<Event> each) {
        Map<String, Object> props = new HashMap<>(connection.consumer());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dcb-decider-log-catch-up");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, TIMEOUT);
            if (partitions == null || partitions.size() != 1) {
                throw new IllegalStateException(topic + " must exist with exactly one partition to rebuild the decider's "
                        + "stores from it, found " + (partitions == null ? 0 : partitions.size()));
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            long lastProgress = System.nanoTime();
            while (consumer.position(tp, TIMEOUT) < end) {
                var records = consumer.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) lastProgress = System.nanoTime();
                else if (System.nanoTime() - lastProgress > TIMEOUT.toNanos()) {
                    throw new IllegalStateException("reading " + topic + " made no progress for " + TIMEOUT.toSeconds()
                            + " s at offset " + consumer.position(tp) + " of " + end);
                }
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.value() == null) continue;
                    Event event = values.deserialize(record.topic(), record.headers(), record.value());
                    if (event.getPosition() > position) each.accept(event);
                }
            }
        }
    }
}
