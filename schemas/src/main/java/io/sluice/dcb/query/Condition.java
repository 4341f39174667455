package io.sluice.dcb.query;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * An append condition: the append fails if any stored event matching {@link #failIfEventsMatch}
 * has a position greater than {@link #after}, or any position at all when {@code after} is absent.
 * An event at exactly {@code after} does not count: it is the last one the client has seen.
 *
 * <p>{@link #isViolatedBy} is the definition by linear scan; the decider's index must give the
 * same answer without the scan.
 *
 * @param failIfEventsMatch the query whose matching events make the append fail
 * @param after             the position the client's decision was based on; absent: all events count
 */
public record Condition(Query failIfEventsMatch, OptionalLong after) {

    public Condition {
        Objects.requireNonNull(failIfEventsMatch, "failIfEventsMatch");
        Objects.requireNonNull(after, "after");
        if (after.isPresent() && after.getAsLong() < 0) {
            throw new IllegalArgumentException("after must be at least 0 (0: before the first event), got " + after.getAsLong());
        }
    }

    /** Fails if any event matching {@code query} exists. */
    public static Condition failIfAny(Query query) {
        return new Condition(query, OptionalLong.empty());
    }

    /** Fails if any event matching {@code query} has a position greater than {@code after}. */
    public static Condition failIfAnyAfter(Query query, long after) {
        return new Condition(query, OptionalLong.of(after));
    }

    /** True when an event at {@code position} is recent enough to fail the append. */
    public boolean counts(long position) {
        return after.isEmpty() || position > after.getAsLong();
    }

    /**
     * The exclusive lower bound of positions that count. Positions start at 1, so "absent" and 0
     * both mean every stored event counts.
     */
    public long lowerBoundExclusive() {
        return after.isPresent() ? after.getAsLong() : 0L;
    }

    /** True when {@code event} makes the append fail. */
    public boolean isViolatedBy(StoredEvent event) {
        return counts(event.position()) && QueryMatcher.matches(failIfEventsMatch, event);
    }

    /** True when any of {@code events} makes the append fail: the reference check, a linear scan. */
    public boolean isViolatedBy(Iterable<StoredEvent> events) {
        for (StoredEvent event : events) {
            if (isViolatedBy(event)) return true;
        }
        return false;
    }
}
