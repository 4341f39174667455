package io.sluice.sinks.core.internals;

import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Collects consumed records until a batch is due: {@code batchSize} records, or the oldest one has
 * waited {@code flushInterval}. Pure and in memory; time is passed in (nanoTime) so it is testable.
 */
public final class Buffer<K, V> {

    private final int batchSize;
    private final long flushIntervalNanos;
    private final List<PendingRecord<K, V>> records = new ArrayList<>();
    private long oldestAt;

    public Buffer(int batchSize, Duration flushInterval) {
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1");
        this.batchSize = batchSize;
        this.flushIntervalNanos = flushInterval.toNanos();
    }

    public void add(PendingRecord<K, V> record, long nowNanos) {
        if (records.isEmpty()) oldestAt = nowNanos;
        records.add(record);
    }

    public int size() {
        return records.size();
    }

    public boolean isDue(long nowNanos) {
        return records.size() >= batchSize || (!records.isEmpty() && nowNanos - oldestAt >= flushIntervalNanos);
    }

    /** How long until the buffer is due by time; the flush interval when it is empty. */
    public Duration untilDue(long nowNanos) {
        if (records.isEmpty()) return Duration.ofNanos(flushIntervalNanos);
        return Duration.ofNanos(Math.max(0, oldestAt + flushIntervalNanos - nowNanos));
    }

    /** Takes everything buffered as one batch. */
    public Batch<K, V> drain() {
        Batch<K, V> batch = new Batch<>(records);
        records.clear();
        return batch;
    }

    /**
     * Forgets the records of revoked partitions: their next owner re-reads them from the stored offsets.
     * Keeps the oldest time, so a partial buffer is not held back longer than the interval.
     */
    public void remove(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) return;
        Set<TopicPartition> drop = Set.copyOf(partitions);
        records.removeIf(r -> drop.contains(r.partition()));
    }
}
