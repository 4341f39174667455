package io.sluice.ops.replay;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/** Where a replay moves a group's offsets. Every target is clamped to the partition's [log start, log end]. */
public sealed interface ReplayTarget {

    /** The first offset still in the log. */
    record ToEarliest() implements ReplayTarget {
    }

    /** The first offset whose record timestamp is at or after {@code at}; the log end if there is none. */
    record ToDatetime(Instant at) implements ReplayTarget {
        public ToDatetime {
            Objects.requireNonNull(at, "at");
        }
    }

    /** This offset on every partition. */
    record ToOffset(long offset) implements ReplayTarget {
    }

    /** The current offset plus {@code delta} (negative: back); from the log start when nothing is committed. */
    record ShiftBy(long delta) implements ReplayTarget {
    }

    /**
     * The target offset of one partition.
     *
     * @param current  the group's committed offset, if any
     * @param earliest log start offset
     * @param end      log end offset
     * @param atTime   for {@link ToDatetime}: the broker's answer to offsetsForTimes, empty when no record is that late
     */
    default long offset(OptionalLong current, long earliest, long end, OptionalLong atTime) {
        long wanted = switch (this) {
            case ToEarliest e -> earliest;
            case ToDatetime d -> atTime.orElse(end);
            case ToOffset o -> o.offset();
            case ShiftBy s -> (current.isPresent() ? current.getAsLong() : earliest) + s.delta();
        };
        return Math.max(earliest, Math.min(end, wanted));
    }

    /** The same target as {@code StreamsResetter} options. */
    default List<String> resetterOptions() {
        return switch (this) {
            case ToEarliest e -> List.of("--to-earliest");
            // StreamsResetter parses yyyy-MM-dd'T'HH:mm:ss.SSS with an optional zone
            case ToDatetime d -> List.of("--to-datetime",
                    DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC).format(d.at()));
            case ToOffset o -> List.of("--to-offset", Long.toString(o.offset()));
            case ShiftBy s -> List.of("--shift-by", Long.toString(s.delta()));
        };
    }
}
