package io.sluice.ops.lag;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * How far one group is behind on one partition.
 *
 * @param topic     topic
 * @param partition partition
 * @param committed the group's next offset to read (Kafka's committed offset, or the sink's stored
 *                  {@code next_offset}); empty when the group has committed nothing for it yet
 * @param end       last stable offset: the log end, or the first offset of the oldest open transaction
 * @param lag       {@code end} minus the first record at or after {@code committed} that a read_committed
 *                  consumer would receive (so commit markers and aborted records are not lag, see
 *                  {@link LagReader}), never negative; with no committed offset, the offsets from the log
 *                  start (what a consumer with {@code auto.offset.reset=earliest} would read)
 */
public record PartitionLag(String topic, int partition, OptionalLong committed, long end, long lag) {

    public PartitionLag {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(committed, "committed");
        if (partition < 0) throw new IllegalArgumentException("partition must be >= 0, got " + partition);
        if (lag < 0) throw new IllegalArgumentException("lag must be >= 0, got " + lag);
    }

    /** The lag of a partition from its committed offset (if any), log start and log end. */
    public static PartitionLag of(String topic, int partition, OptionalLong committed, long start, long end) {
        long from = committed.isPresent() ? committed.getAsLong() : start;
        return new PartitionLag(topic, partition, committed, end, Math.max(0, end - from));
    }
}
