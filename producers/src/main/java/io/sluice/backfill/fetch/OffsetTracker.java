package io.sluice.backfill.fetch;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which offsets of each partition may be committed while tasks finish out of order. A task's
 * offset is {@link #started} when it is taken from Kafka and {@link #finished} once every output
 * of the task is acknowledged by the broker; the committable position of a partition is its lowest
 * unfinished offset (or one past the last finished one when nothing is pending). So a commit never
 * passes a task whose outputs might be lost: at-least-once, with re-fetching after a crash limited
 * to the tasks that were still running.
 *
 * <p>Used by the consumer thread only; not thread-safe.
 */
final class OffsetTracker {

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    void started(TopicPartition tp, long offset) {
        partitions.computeIfAbsent(tp, p -> new Partition()).start(offset);
    }

    /** Marks a task finished; unknown partitions (revoked meanwhile) and offsets are ignored. */
    void finished(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null) p.pending.remove(offset);
    }

    /** Tasks started and not finished, all partitions. */
    int pending() {
        int n = 0;
        for (Partition p : partitions.values()) n += p.pending.size();
        return n;
    }

    int pending(Collection<TopicPartition> tps) {
        int n = 0;
        for (TopicPartition tp : tps) {
            Partition p = partitions.get(tp);
            if (p != null) n += p.pending.size();
        }
        return n;
    }

    /** Positions that moved since the last {@link #committed}, for a commit. */
    Map<TopicPartition, OffsetAndMetadata> committable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long position = p.position();
            if (position > p.committed) out.put(tp, new OffsetAndMetadata(position));
        });
        return out;
    }

    /** Committable positions of {@code tps} only. */
    Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> all = committable();
        all.keySet().retainAll(tps);
        return all;
    }

    /** Records that a commit of these positions succeeded. */
    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, om) -> {
            Partition p = partitions.get(tp);
            if (p != null) p.committed = Math.max(p.committed, om.offset());
        });
    }

    /** Forgets partitions this consumer no longer owns. */
    void forget(Collection<TopicPartition> tps) {
        tps.forEach(partitions::remove);
    }

    private static final class Partition {
        final TreeSet<Long> pending = new TreeSet<>();
        /** One past the highest offset started. */
        long next = -1;
        long committed = -1;

        void start(long offset) {
            // The first offset given is where the group's committed position already is (or where
            // auto.offset.reset put it): nothing to commit until a task there finishes.
            if (committed < 0) committed = offset;
            pending.add(offset);
            next = Math.max(next, offset + 1);
        }

        long position() {
            return pending.isEmpty() ? next : pending.first();
        }
    }
}
