package io.sluice.sinks.core.internals;

import io.sluice.sinks.core.SinkConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.util.HashMap;
import java.util.Map;

/** The sink's Kafka consumer: raw bytes, no auto-commit, committed data only. */
public final class SinkConsumers {

    private SinkConsumers() {
    }

    public static KafkaConsumer<byte[], byte[]> create(SinkConfig config) {
        return new KafkaConsumer<>(properties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static Map<String, Object> properties(SinkConfig config) {
        Map<String, Object> props = config.connection().groupConsumer();
        props.putAll(config.consumerOverrides());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        // Offsets are committed by the sink, after PostgreSQL has them, never on a timer.
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // Only used when the sink has not positioned a partition yet; it seeks explicitly.
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Upstream Streams applications write transactionally (exactly_once_v2): skip aborted records.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-" + config.stage());
        // The consumer group protocol (KIP-848) assigns incrementally: a rebalance only interrupts
        // the partitions that move, not every member's buffers.
        props.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(config.batchSize(), 500));
        return props;
    }
}
