package io.sluice.ops.replay;

import org.apache.kafka.common.TopicPartition;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where a replay moves a group's offsets: Kafka's {@code --reset-offsets} targets. Every target is clamped to
 * the partition's [log start, log end]; the plan says where it was.
 */
public sealed interface ReplayTarget {

    /** The first offset still in the log. */
    record ToEarliest() implements ReplayTarget {
    }

    /** The log end: skip everything not read yet. */
    record ToLatest() implements ReplayTarget {
    }

    /** The committed offset (the log end where there is none): pins it, e.g. for partitions added by a selection. */
    record ToCurrent() implements ReplayTarget {
    }

    /** The first offset whose record timestamp is at or after {@code at}; the log end if there is none. */
    record ToDatetime(Instant at) implements ReplayTarget {
        public ToDatetime {
            Objects.requireNonNull(at, "at");
        }
    }

    /** {@link ToDatetime} of now minus {@code duration}; resolved once, when the plan is made. */
    record ByDuration(Duration duration) implements ReplayTarget {
        public ByDuration {
            Objects.requireNonNull(duration, "duration");
            if (duration.isNegative()) throw new IllegalArgumentException("the duration must not be negative, got " + duration);
        }
    }

    /** This offset on every partition. */
    record ToOffset(long offset) implements ReplayTarget {
    }

    /** The current offset plus {@code delta} (negative: back); from the log start when nothing is committed. */
    record ShiftBy(long delta) implements ReplayTarget {
    }

    /** Per partition, as Kafka's {@code --from-file} CSV gives them ({@link OffsetsFile}); only these partitions move. */
    record FromFile(Path file, Map<TopicPartition, Long> offsets) implements ReplayTarget {
        public FromFile {
            Objects.requireNonNull(file, "file");
            offsets = Map.copyOf(offsets);
        }
    }

    /**
     * The offset asked for on one partition, before clamping to the log.
     *
     * @param current  the group's committed offset, if any
     * @param earliest log start offset
     * @param end      log end offset
     * @param atTime   for {@link ToDatetime}: the broker's answer to offsetsForTimes, empty when no record is that late
     */
    default long wanted(TopicPartition tp, OptionalLong current, long earliest, long end, OptionalLong atTime) {
        return switch (this) {
            case ToEarliest e -> earliest;
            case ToLatest l -> end;
            case ToCurrent c -> current.orElse(end);
            case ToDatetime d -> atTime.orElse(end);
            case ByDuration d -> atTime.orElse(end);
            case ToOffset o -> o.offset();
            case ShiftBy s -> (current.isPresent() ? current.getAsLong() : earliest) + s.delta();
            case FromFile f -> {
                Long offset = f.offsets().get(tp);
                if (offset == null) throw new IllegalArgumentException(f.file() + " has no offset for " + tp);
                yield offset;
            }
        };
    }

    /** {@link #wanted} clamped to [earliest, end]. */
    default long offset(TopicPartition tp, OptionalLong current, long earliest, long end, OptionalLong atTime) {
        return Math.max(earliest, Math.min(end, wanted(tp, current, earliest, end, atTime)));
    }

    /** The same target as {@code StreamsResetter} options. */
    default List<String> resetterOptions() {
        return switch (this) {
            case ToEarliest e -> List.of("--to-earliest");
            case ToLatest l -> List.of("--to-latest");
            // the resetter has no --to-current: a shift by nothing is the same
            case ToCurrent c -> List.of("--shift-by", "0");
            // StreamsResetter parses yyyy-MM-dd'T'HH:mm:ss.SSS with an optional zone
            case ToDatetime d -> List.of("--to-datetime",
                    DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC).format(d.at()));
            case ByDuration d -> List.of("--by-duration", d.duration().toString());
            case ToOffset o -> List.of("--to-offset", Long.toString(o.offset()));
            case ShiftBy s -> List.of("--shift-by", Long.toString(s.delta()));
            case FromFile f -> List.of("--from-file", f.file().toString());
        };
    }
}
