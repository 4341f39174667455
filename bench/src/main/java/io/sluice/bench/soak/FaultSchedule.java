package io.sluice.bench.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * When the soak injects which fault: the kinds in turn, the first {@code every} after the load begins and
 * one each {@code every} after that, none later than {@code quiet} before the load ends, so every fault
 * is followed by load long enough to show the recovery.
 */
public record FaultSchedule(Duration length, Duration every, Duration quiet, List<FaultKind> kinds) {

    public FaultSchedule {
        Objects.requireNonNull(length, "length");
        if (!every.isPositive()) throw new IllegalArgumentException("the fault interval must be positive, got " + every);
        if (quiet.isNegative()) throw new IllegalArgumentException("the quiet tail must not be negative, got " + quiet);
        if (kinds.isEmpty()) throw new IllegalArgumentException("at least one kind of fault");
        kinds = List.copyOf(kinds);
    }

    /** A scheduled fault: its number (from 0), what, and when, from the start of the load. */
    public record Slot(int index, FaultKind kind, Duration at) {
    }

    /** Every fault of the run, in order. */
    public List<Slot> slots() {
        List<Slot> slots = new ArrayList<>();
        for (int i = 0; ; i++) {
            Duration at = every.multipliedBy(i + 1L);
            if (at.plus(quiet).compareTo(length) > 0) return slots;
            slots.add(new Slot(i, kinds.get(i % kinds.size()), at));
        }
    }

    /** The fault number {@code index} if it is due at {@code elapsed}, or null when it is not (yet, or at all). */
    public Slot due(int index, Duration elapsed) {
        List<Slot> slots = slots();
        if (index >= slots.size()) return null;
        Slot slot = slots.get(index);
        return elapsed.compareTo(slot.at()) >= 0 ? slot : null;
    }
}
