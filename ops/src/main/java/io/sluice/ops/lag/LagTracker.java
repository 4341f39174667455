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
 * Turns successive lag samples into a status per group: rate, time to drain, and ERROR / IDLE /
 * STALLED / LAGGING / OK (precedence in {@link Status}). Pure: the caller passes each sample's time,
 * so tests drive it with made-up instants. Not thread-safe.
 *
 * <p><b>Stall window</b> (Burrow's rule: judge a window of commits, not one sample). Per partition the
 * tracker keeps the last instant it was <em>fine</em>: its committed offset changed, or it had no lag
 * (nothing to read is no reason to move). A partition with lag whose last fine instant is at least the
 * stall time ago has not committed anything over a whole window of samples: the group is STALLED,
 * whatever its last rate or how small its lag. A partition first seen starts its window then; so a
 * single reading can never say STALLED, and callers that want a verdict sample across the window
 * ({@link #undecided}).
 *
 * <p><b>Lag</b> is whatever {@link LagReader} measured: to the last stable offset, without commit
 * markers or aborted records, so any lag above zero is a backlog.
 *
 * <p><b>Progress</b> is any change of a committed offset: forwards (counted in the rate), backwards (a
 * replay: not counted, but the group was just repositioned, so its window restarts) or a first commit.
 */
public final class LagTracker {

    public static final Duration DEFAULT_STALL_AFTER = Duration.ofSeconds(30);

    private record Seen(Instant firstSeen, Instant at, GroupLag lag, Map<TopicPartition, Instant> fineSince) {
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

    public Duration stallAfter() {
        return stallAfter;
    }

    /** Judges one sample taken at {@code at}; groups absent from it are forgotten. */
    public List<GroupStatus> update(Instant at, List<GroupLag> sample) {
        Objects.requireNonNull(at, "at");
        Map<String, Seen> next = new HashMap<>();
        List<GroupStatus> out = new ArrayList<>();
        for (GroupLag group : sample) {
            Seen before = previous.get(group.groupId());
            Map<TopicPartition, Instant> fineSince = fineSince(before, group, at);
            double rate = 0;
            Optional<Duration> drain = Optional.empty();
            if (before != null) {
                double seconds = Duration.between(before.at(), at).toNanos() / 1e9;
                if (seconds > 0) {
                    rate = advanced(before.lag(), group) / seconds;
                    long drained = before.lag().totalLag() - group.totalLag();
                    if (drained > 0) drain = Optional.of(Duration.ofMillis((long) (group.totalLag() * seconds * 1000 / drained)));
                }
            }
            if (group.totalLag() == 0) drain = Optional.of(Duration.ZERO);
            out.add(new GroupStatus(group, status(group, before, fineSince, at), rate, drain));
            next.put(group.groupId(), new Seen(before == null ? at : before.firstSeen(), at, group, fineSince));
        }
        previous.clear();
        previous.putAll(next);
        return out;
    }

    /**
     * Whether a group of the last {@link #update} (with members) has lag on a partition that has not
     * moved since the group was first seen, and the window since then is not over: only more samples can
     * tell STALLED from slow. The one-shot {@code sluice lag} keeps sampling while this holds.
     */
    public boolean undecided(Instant at) {
        for (Seen seen : previous.values()) {
            if (seen.lag().members() == 0 || Duration.between(seen.firstSeen(), at).compareTo(stallAfter) >= 0) continue;
            for (PartitionLag p : seen.lag().partitions()) {
                if (p.lag() > 0 && !seen.fineSince().get(key(p)).isAfter(seen.firstSeen())) return true;
            }
        }
        return false;
    }

    private Status status(GroupLag group, Seen before, Map<TopicPartition, Instant> fineSince, Instant at) {
        boolean backlog = group.totalLag() > 0;
        if (group.members() == 0) return backlog ? Status.ERROR : Status.IDLE;
        for (PartitionLag p : group.partitions()) {
            if (p.lag() > 0 && Duration.between(fineSince.get(key(p)), at).compareTo(stallAfter) >= 0) return Status.STALLED;
        }
        if (backlog && before != null && group.totalLag() > before.lag().totalLag()) return Status.LAGGING;
        return Status.OK;
    }

    /** Per partition, the last instant it moved or had no lag; a partition first seen starts now. */
    private static Map<TopicPartition, Instant> fineSince(Seen before, GroupLag now, Instant at) {
        Map<TopicPartition, PartitionLag> old = before == null ? Map.of() : byPartition(before.lag());
        Map<TopicPartition, Instant> out = new HashMap<>();
        for (PartitionLag p : now.partitions()) {
            TopicPartition tp = key(p);
            PartitionLag o = old.get(tp);
            boolean fine = o == null || p.lag() == 0 || !p.committed().equals(o.committed());
            out.put(tp, fine ? at : before.fineSince().get(tp));
        }
        return out;
    }

    /** Offsets committed forwards between two samples, over every partition. */
    private static long advanced(GroupLag before, GroupLag now) {
        Map<TopicPartition, PartitionLag> old = byPartition(before);
        long advanced = 0;
        for (PartitionLag p : now.partitions()) {
            PartitionLag o = old.get(key(p));
            if (o == null || p.committed().isEmpty() || o.committed().isEmpty()) continue;
            advanced += Math.max(0, p.committed().getAsLong() - o.committed().getAsLong());
        }
        return advanced;
    }

    private static Map<TopicPartition, PartitionLag> byPartition(GroupLag group) {
        Map<TopicPartition, PartitionLag> out = new HashMap<>();
        for (PartitionLag p : group.partitions()) out.put(key(p), p);
        return out;
    }

    private static TopicPartition key(PartitionLag p) {
        return new TopicPartition(p.topic(), p.partition());
    }
}
