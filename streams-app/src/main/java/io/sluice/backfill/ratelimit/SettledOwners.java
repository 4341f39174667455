package io.sluice.backfill.ratelimit;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The fetch-topic partitions whose owner has held them for at least {@code settle}. A member just
 * assigned a partition first looks up its offset, connects and warms up; a task released to it
 * meanwhile may reach it after its start window (well under a second) has passed, and comes back
 * expired with its token spent. So a partition takes tasks only once its owner has settled: at a
 * start and after a rebalance, releases to it wait {@code settle}, and no token is lost.
 *
 * <p>Not thread-safe: one observer updates it.
 */
final class SettledOwners {

    private record Held(String member, long since) {
    }

    private final long settleMillis;
    private final Map<Integer, Held> held = new HashMap<>();

    SettledOwners(long settleMillis) {
        if (settleMillis < 0) throw new IllegalArgumentException("settle must be >= 0 ms, got " + settleMillis);
        this.settleMillis = settleMillis;
    }

    /**
     * Takes the group's view at {@code now} (partition → owning member id) and answers the partitions
     * whose owner has held them since at least {@code settle} ago, sorted.
     */
    int[] update(Map<Integer, String> owners, long now) {
        held.keySet().retainAll(owners.keySet());
        owners.forEach((partition, member) -> {
            Held h = held.get(partition);
            if (h == null || !Objects.equals(h.member(), member)) held.put(partition, new Held(member, now));
        });
        return held.entrySet().stream()
                .filter(e -> now - e.getValue().since() >= settleMillis)
                .mapToInt(Map.Entry::getKey).sorted().toArray();
    }
}
