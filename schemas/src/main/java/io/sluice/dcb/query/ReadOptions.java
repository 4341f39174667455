package io.sluice.dcb.query;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Options of a read: start at {@code from} (inclusive; forwards the first position read, backwards
 * the highest), return at most {@code limit} events, in position order or, when {@code backwards},
 * in reverse position order.
 *
 * @param from      inclusive start position; absent: the start (forwards) or the end (backwards)
 * @param limit     the most events to return, at least 1; absent: no limit
 * @param backwards read from the newest event to the oldest
 */
public record ReadOptions(OptionalLong from, OptionalInt limit, boolean backwards) {

    private static final ReadOptions FORWARDS = new ReadOptions(OptionalLong.empty(), OptionalInt.empty(), false);

    public ReadOptions {
        if (from == null || limit == null) throw new NullPointerException("from and limit must be given (use empty)");
        if (from.isPresent() && from.getAsLong() < 0) {
            throw new IllegalArgumentException("from must be at least 0, got " + from.getAsLong());
        }
        if (limit.isPresent() && limit.getAsInt() < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit.getAsInt());
        }
    }

    /** Every event, oldest first. */
    public static ReadOptions forwards() {
        return FORWARDS;
    }

    public ReadOptions withFrom(long position) {
        return new ReadOptions(OptionalLong.of(position), limit, backwards);
    }

    public ReadOptions withLimit(int count) {
        return new ReadOptions(from, OptionalInt.of(count), backwards);
    }

    public ReadOptions inReverse() {
        return new ReadOptions(from, limit, true);
    }

    /** True when an event at {@code position} lies on the read's side of {@code from}. */
    public boolean includes(long position) {
        if (from.isEmpty()) return true;
        return backwards ? position <= from.getAsLong() : position >= from.getAsLong();
    }
}
