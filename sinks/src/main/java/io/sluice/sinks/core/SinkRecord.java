package io.sluice.sinks.core;

/**
 * One consumed record after deserialization, with where it came from.
 *
 * @param topic     source topic
 * @param partition source partition
 * @param offset    its offset in that partition
 * @param timestamp the record's Kafka timestamp (ms since the epoch)
 * @param key       deserialized key, may be null
 * @param value     deserialized value, may be null (a tombstone)
 */
public record SinkRecord<K, V>(String topic, int partition, long offset, long timestamp, K key, V value) {
}
