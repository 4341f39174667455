package io.sluice.ops.replay;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a replay will do to one group.
 *
 * @param groupId        group or Streams application id
 * @param kind           how the group keeps its offsets, which decides how they are moved
 * @param target         where to
 * @param moves          per partition of the (input) topics, current and target offset
 * @param internalTopics for a Streams application, the changelog and repartition topics the reset deletes
 * @param stateDirs      for a Streams application, its local state directories on this machine, one per
 *                       instance that ran here (deleted if present)
 */
public record ReplayPlan(String groupId, Kind kind, ReplayTarget target, List<Move> moves,
                         List<String> internalTopics, List<Path> stateDirs) {

    /** How a group keeps its offsets. */
    public enum Kind {
        /** Kafka's committed offsets only. */
        CONSUMER,
        /** A sink: {@code sluice_offsets} in PostgreSQL (the truth it resumes from) and Kafka's. */
        SINK,
        /** A Kafka Streams application: offsets, internal topics and local state. */
        STREAMS
    }

    /**
     * One partition's offset, now and after the replay.
     *
     * @param clamp when the target asked for an offset outside the log, where it went instead and why
     */
    public record Move(String topic, int partition, OptionalLong current, long target, Optional<String> clamp) {
        public Move {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(clamp, "clamp");
        }

        public Move(String topic, int partition, OptionalLong current, long target) {
            this(topic, partition, current, target, Optional.empty());
        }
    }

    public ReplayPlan {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        moves = List.copyOf(moves);
        internalTopics = List.copyOf(internalTopics);
        stateDirs = List.copyOf(stateDirs);
    }

    /** The moves whose target was clamped to the log. */
    public List<Move> clamped() {
        return moves.stream().filter(m -> m.clamp().isPresent()).toList();
    }

    public List<String> inputTopics() {
        return moves.stream().map(Move::topic).distinct().toList();
    }
}
