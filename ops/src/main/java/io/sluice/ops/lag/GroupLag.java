package io.sluice.ops.lag;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * One sample of a consumer group's (or Streams application's) position.
 *
 * @param groupId    group id (the application id for a Streams app)
 * @param members    active members; 0 when nobody consumes
 * @param source     where the committed offsets come from
 * @param partitions per partition, ordered by topic then partition
 */
public record GroupLag(String groupId, int members, OffsetSource source, List<PartitionLag> partitions) {

    /** Where a group's committed offsets were read. */
    public enum OffsetSource {
        /** Kafka's {@code __consumer_offsets}. */
        KAFKA,
        /** The sinks' {@code sluice_offsets} table, written in the same transaction as their rows: the truth. */
        POSTGRES;

        /** {@code kafka} or {@code postgres}, for tables and JSON. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Comparator<PartitionLag> ORDER =
            Comparator.comparing(PartitionLag::topic).thenComparingInt(PartitionLag::partition);

    public GroupLag {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(source, "source");
        if (members < 0) throw new IllegalArgumentException("members must be >= 0, got " + members);
        partitions = partitions.stream().sorted(ORDER).toList();
    }

    public long totalLag() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }
}
