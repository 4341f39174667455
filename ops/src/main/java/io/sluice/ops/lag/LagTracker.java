package io.sluice.ops.lag;

import io.sluice.ops.lag.GroupStatus.Status;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns successive lag samples into a status per group: rate, time to drain, and OK / LAGGING /
 * STALLED / IDLE (precedence in {@link Status}). Pure: the caller passes each sample's time, so tests
 * drive it with made-up instants. Not thread-safe.
 *
 * <p><b>Backlog.</b> A partition has a backlog when its lag is above one offset: a consumer of a
 * transactional topic that has read everything can stay one offset short of the log end (the commit
 * marker) forever, and must not look stalled. The price: a plain consumer stuck exactly one record
 * behind reads as OK.
 *
 * <p><b>Progress</b> is any change of a committed offset: forwards (counted in the rate), backwards
 * (a replay: not counted, but it restarts the stall clock, since the group was just repositioned), or
 * a first commit on a partition. The stall clock starts when a group is first seen.
 */
public final class LagTracker {

    /** Lag a partition may keep without it counting as a backlog: one trailing transaction marker. */
    static final long MARKER_SLACK = 1;

    public static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(30);

    private record Seen(Instant at, GroupLag lag, Instant lastProgress) {
    }

    private final Duration stallAfter;
    private final Map<String, Seen> previous = new HashMap<>();

    public LagTracker(Duration stallAfter) {
        Objects.requireNonNull(stallAfter, "stallAfter");
        if (stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive, got " + stallAfter);
        }
        this.stallAfter = stallAfter;
    }

    /** Judges one sample taken at {@code at}; groups absent from it are forgotten. */
    public List<GroupStatus> update(Instant at, List<GroupLag> sample) {
        Objects.requireNonNull(at, "at");
        Map<String, Seen> next = new HashMap<>();
        List<GroupStatus> out = new ArrayList<>();
        for (GroupLag group : sample) {
            Seen before = previous.get(group.groupId());
            Instant lastProgress = before == null ? at : before.lastProgress();
            double rate = 0;
            Optional<Duration> drain = Optional.empty();
            if (before != null) {
                Movement m = Movement.between(before.lag(), group);
                if (m.moved()) lastProgress = at;
                double seconds = Duration.between(before.at(), at).toNanos() / 1e9;
                if (seconds > 0) {
                    rate = m.advanced() / seconds;
                    long drained = before.lag().totalLag() - group.totalLag();
                    if (drained > 0) drain = Optional.of(Duration.ofMillis((long) (group.totalLag() * seconds * 1000 / drained)));
                }
            }
            boolean backlog = hasBacklog(group);
            if (!backlog) drain = Optional.of(Duration.ZERO);
            out.add(new GroupStatus(group, status(group, before, backlog, at, lastProgress), rate, drain));
            next.put(group.groupId(), new Seen(at, group, lastProgress));
        }
        previous.clear();
        previous.putAll(next);
        return out;
    }

    private Status status(GroupLag group, Seen before, boolean backlog, Instant at, Instant lastProgress) {
        if (group.members() == 0) return Status.IDLE;
        if (backlog && Duration.between(lastProgress, at).compareTo(stallAfter) >= 0) return Status.STALLED;
        if (backlog && before != null && group.totalLag() > before.lag().totalLag()) return Status.LAGGING;
        return Status.OK;
    }

    static boolean hasBacklog(GroupLag group) {
        return group.partitions().stream().anyMatch(p -> p.lag() > MARKER_SLACK);
    }

    /** What the committed offsets did between two samples of one group. */
    private record Movement(long advanced, boolean moved) {

        static Movement between(GroupLag before, GroupLag now) {
            Map<TopicPartition, PartitionLag> old = new HashMap<>();
            for (PartitionLag p : before.partitions()) old.put(new TopicPartition(p.topic(), p.partition()), p);
            long advanced = 0;
            boolean moved = false;
            for (PartitionLag p : now.partitions()) {
                PartitionLag o = old.get(new TopicPartition(p.topic(), p.partition()));
                if (o == null || p.committed().isEmpty()) continue;
                if (o.committed().isEmpty()) {
                    moved = true;
                    continue;
                }
                long delta = p.committed().getAsLong() - o.committed().getAsLong();
                if (delta != 0) moved = true;
                if (delta > 0) advanced += delta;
            }
            return new Movement(advanced, moved);
        }
    }
}
