package io.sluice.sinks.core.internals;

import io.sluice.sinks.core.SinkRecord;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable run of consumed records that is written in one transaction, in consumption order, with
 * the offset range it covers per partition.
 */
public final class Batch<K, V> {

    private final List<PendingRecord<K, V>> records;
    private final Map<TopicPartition, Long> firstOffsets = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> nextOffsets = new LinkedHashMap<>();

    public Batch(List<PendingRecord<K, V>> records) {
        this.records = List.copyOf(records);
        for (PendingRecord<K, V> r : this.records) {
            firstOffsets.merge(r.partition(), r.offset(), Math::min);
            nextOffsets.merge(r.partition(), r.offset() + 1, Math::max);
        }
    }

    public static <K, V> Batch<K, V> empty() {
        return new Batch<>(List.of());
    }

    public boolean isEmpty() {
        return records.isEmpty();
    }

    public int size() {
        return records.size();
    }

    public List<PendingRecord<K, V>> records() {
        return records;
    }

    /** The records that deserialized, for the writer. */
    public List<SinkRecord<K, V>> decoded() {
        return records.stream().filter(PendingRecord::isDecoded).map(PendingRecord::decoded).toList();
    }

    /** The records that did not deserialize, for the dead-letter topic. */
    public List<PendingRecord<K, V>> undecodable() {
        return records.stream().filter(r -> !r.isDecoded()).toList();
    }

    /** Per partition, the offset of the batch's first record: where the stored offset must stand. */
    public Map<TopicPartition, Long> firstOffsets() {
        return Map.copyOf(firstOffsets);
    }

    /** Per partition, the offset after the batch's last record: what is stored on commit. */
    public Map<TopicPartition, Long> nextOffsets() {
        return Map.copyOf(nextOffsets);
    }

    public Set<TopicPartition> partitions() {
        return Set.copyOf(firstOffsets.keySet());
    }

    /** This batch without the given partitions' records (revoked, or fenced by another instance). */
    public Batch<K, V> without(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty() || partitions.stream().noneMatch(firstOffsets::containsKey)) return this;
        Set<TopicPartition> drop = Set.copyOf(partitions);
        return new Batch<>(records.stream().filter(r -> !drop.contains(r.partition())).toList());
    }
}
