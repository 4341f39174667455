package io.sluice.common.transactions;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each open transaction was first seen, look after look: a transaction seen open with the same
 * producer, epoch and start offset at every look for {@code minAge} has been open at least that long.
 * A live transaction cannot be: its coordinator aborts it after its transaction timeout, and the next
 * one starts at another offset. Not thread-safe; one guard's timer uses it.
 */
final class OpenSince {

    private final Duration minAge;
    private Map<HangingTransactions.Open, Long> firstSeen = new HashMap<>();

    OpenSince(Duration minAge) {
        this.minAge = minAge;
    }

    /** Records a look at {@code nanos} that found {@code open}; returns those open for at least the minimum age. */
    List<HangingTransactions.Open> look(List<HangingTransactions.Open> open, long nanos) {
        Map<HangingTransactions.Open, Long> seen = new HashMap<>();
        for (HangingTransactions.Open o : open) seen.put(o, firstSeen.getOrDefault(o, nanos));
        firstSeen = seen; // what this look did not find has ended, and is forgotten
        return open.stream().filter(o -> nanos - seen.get(o) >= minAge.toNanos()).toList();
    }
}
