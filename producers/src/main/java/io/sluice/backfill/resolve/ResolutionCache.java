package io.sluice.backfill.resolve;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Recently resolved DIDs and their PDS, so that a DID published twice, or replayed, costs no second
 * lookup. Bounded: least recently used entries go first past {@code maxEntries}, and an entry older
 * than {@code ttl} is looked up again (accounts move between PDSes). Only successes are cached: a
 * failure may be fixed by the time the DID is replayed. Thread-safe.
 */
final class ResolutionCache {

    private record Cached(PdsEndpoint pds, long expiresAtNanos) {
    }

    private final int maxEntries;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Map<String, Cached> entries;

    ResolutionCache(int maxEntries, Duration ttl, LongSupplier nanoTime) {
        this.maxEntries = maxEntries;
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > ResolutionCache.this.maxEntries;
            }
        };
    }

    synchronized Optional<PdsEndpoint> get(String did) {
        Cached e = entries.get(did);
        if (e == null) return Optional.empty();
        if (nanoTime.getAsLong() - e.expiresAtNanos >= 0) {
            entries.remove(did);
            return Optional.empty();
        }
        return Optional.of(e.pds);
    }

    synchronized void put(String did, PdsEndpoint pds) {
        if (maxEntries == 0) return;
        entries.put(did, new Cached(pds, nanoTime.getAsLong() + ttlNanos));
    }

    synchronized int size() {
        return entries.size();
    }
}
