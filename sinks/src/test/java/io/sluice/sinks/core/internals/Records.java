package io.sluice.sinks.core.internals;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;

/** Test fixtures: raw consumed records and their decoded form. */
final class Records {

    private Records() {
    }

    static ConsumerRecord<byte[], byte[]> raw(String topic, int partition, long offset, String key, String value) {
        return new ConsumerRecord<>(topic, partition, offset, bytes(key), bytes(value));
    }

    static PendingRecord<String, String> pending(String topic, int partition, long offset) {
        return PendingRecord.decode(raw(topic, partition, offset, "k" + offset, "v" + offset),
                new StringDeserializer(), new StringDeserializer());
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
