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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * dcb.events read by a {@code read_committed} consumer of its own (no group, no committed
 * offsets) up to the last stable offset. The topic has one partition ({@code DcbTopics} refuses
 * more), so offset order is position order: the last {@value #TAIL} offsets are read first, and
 * when they show that the log does not reach past {@code position} (a clean restart) or that
 * everything past it is among them (a short partial reset), nothing before them is read; otherwise
 * (the stores lost: a full reset) the log is read from its start.
 */
final class KafkaEventLog implements EventLog {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final int TAIL = 1_000;

    private final ConnectionSettings connection;
    private final String topic;
    private final Deserializer<Event> values;
    private final int tail;

    KafkaEventLog(ConnectionSettings connection, String topic, Deserializer<Event> values) {
        this(connection, topic, values, TAIL);
    }

    /** @param tail how many offsets at the end to read first (a test's small one makes it read the whole log) */
    KafkaEventLog(ConnectionSettings connection, String topic, Deserializer<Event> values, int tail) {
        this.connection = connection;
        this.topic = topic;
        this.values = values;
        this.tail = tail;
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
            long begin = consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
            long end = consumer.endOffsets(List.of(tp), TIMEOUT).get(tp);
            long tailFrom = Math.max(begin, end - tail);
            List<Event> tail = new ArrayList<>();
            read(consumer, tp, tailFrom, end, tail::add);
            boolean tailSuffices = tailFrom == begin
                    || (!tail.isEmpty() && (tail.getLast().getPosition() <= position || tail.getFirst().getPosition() <= position + 1));
            if (tailSuffices) {
                for (Event event : tail) if (event.getPosition() > position) each.accept(event);
                return;
            }
            read(consumer, tp, begin, end, event -> {
                if (event.getPosition() > position) each.accept(event);
            });
        }
    }

    private void read(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, long from, long end, Consumer<Event> each) {
        consumer.seek(tp, from);
        long lastProgress = System.nanoTime();
        while (consumer.position(tp, TIMEOUT) < end) {
            var records = consumer.poll(Duration.ofMillis(500));
            if (!records.isEmpty()) lastProgress = System.nanoTime();
            else if (System.nanoTime() - lastProgress > TIMEOUT.toNanos()) {
                throw new IllegalStateException("reading " + topic + " made no progress for " + TIMEOUT.toSeconds()
                        + " s at offset " + consumer.position(tp) + " of " + end);
            }
            for (ConsumerRecord<byte[], byte[]> record : records) {
                if (record.offset() >= end || record.value() == null) continue;
                each.accept(values.deserialize(record.topic(), record.headers(), record.value()));
            }
        }
    }
}
