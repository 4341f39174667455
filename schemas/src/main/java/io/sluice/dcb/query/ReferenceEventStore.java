package io.sluice.dcb.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The DCB store's semantics in the plainest form: a list in memory, conditions checked by linear
 * scan. Not thread-safe, and a check costs time linear in the log's length, so it is no store to
 * run; it is the oracle the decider's index and topology are tested against, and an honest
 * in-process baseline.
 */
public final class ReferenceEventStore {

    /** The positions given to one append's events, first to last, consecutive. */
    public record Positions(long first, long last) {
    }

    private final List<StoredEvent> log = new ArrayList<>();

    /**
     * Appends all of {@code events} or none of them.
     *
     * @param condition null for an unconditional append
     * @return the positions given, or empty when the condition failed (nothing appended)
     * @throws IllegalArgumentException when {@code events} is empty
     */
    public Optional<Positions> append(List<NewEvent> events, Condition condition) {
        Objects.requireNonNull(events, "events");
        if (events.isEmpty()) throw new IllegalArgumentException("an append needs at least one event");
        if (condition != null && condition.isViolatedBy(log)) return Optional.empty();
        long first = lastPosition() + 1;
        for (NewEvent event : events) {
            log.add(new StoredEvent(lastPosition() + 1, event.type(), event.tags()));
        }
        return Optional.of(new Positions(first, lastPosition()));
    }

    /** The events matching {@code query}, in position order (reverse when backwards), within the options. */
    public List<StoredEvent> read(Query query, ReadOptions options) {
        List<StoredEvent> out = new ArrayList<>();
        int limit = options.limit().orElse(Integer.MAX_VALUE);
        for (int i = 0; i < log.size() && out.size() < limit; i++) {
            StoredEvent event = log.get(options.backwards() ? log.size() - 1 - i : i);
            if (options.includes(event.position()) && QueryMatcher.matches(query, event)) out.add(event);
        }
        return out;
    }

    /** The position of the newest event, 0 when the store is empty. */
    public long lastPosition() {
        return log.isEmpty() ? 0 : log.get(log.size() - 1).position();
    }

    /** Every event, oldest first. */
    public List<StoredEvent> events() {
        return List.copyOf(log);
    }
}
