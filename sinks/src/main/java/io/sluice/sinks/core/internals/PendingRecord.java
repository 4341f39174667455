package io.sluice.sinks.core.internals;

import io.sluice.sinks.core.SinkRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

import java.util.Objects;

/**
 * A consumed record on its way to PostgreSQL: the raw bytes (what a dead-letter topic gets) and either
 * the deserialized record or why deserialization failed.
 */
public record PendingRecord<K, V>(ConsumerRecord<byte[], byte[]> raw, SinkRecord<K, V> decoded,
                                  RuntimeException decodeError) {

    public PendingRecord {
        Objects.requireNonNull(raw, "raw");
        if ((decoded == null) == (decodeError == null)) {
            throw new IllegalArgumentException("exactly one of decoded and decodeError");
        }
    }

    /** Deserializes per record, so one bad record becomes a dead letter instead of a crashed loop. */
    public static <K, V> PendingRecord<K, V> decode(ConsumerRecord<byte[], byte[]> raw,
                                                    Deserializer<K> keys, Deserializer<V> values) {
        try {
            K key = keys.deserialize(raw.topic(), raw.headers(), raw.key());
            V value = values.deserialize(raw.topic(), raw.headers(), raw.value());
            return new PendingRecord<>(raw, new SinkRecord<>(raw.topic(), raw.partition(), raw.offset(),
                    raw.timestamp(), key, value), null);
        } catch (RuntimeException e) {
            return new PendingRecord<>(raw, null, e);
        }
    }

    public boolean isDecoded() {
        return decoded != null;
    }

    public TopicPartition partition() {
        return new TopicPartition(raw.topic(), raw.partition());
    }

    public long offset() {
        return raw.offset();
    }
}
