package io.sluice.backfill.ratelimit.internals;

import io.sluice.backfill.ratelimit.RateLimiterConfig;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The hosts of one stream task: the {@code ratelimit-hosts} store, with every entry also held
 * deserialized in memory so each punctuation walks live objects instead of decoding every host.
 * The store stays the truth: every change is written through before the task can commit, and the
 * memory copy is rebuilt from the store whenever the processor is (re)initialized, e.g. after a
 * restore.
 */
final class HostStates {

    private final KeyValueStore<String, HostState> store;
    private final RateLimiterConfig config;
    private final Map<String, HostState> byHost = new LinkedHashMap<>();

    HostStates(KeyValueStore<String, HostState> store, RateLimiterConfig config) {
        this.store = store;
        this.config = config;
        try (KeyValueIterator<String, HostState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, HostState> e = all.next();
                byHost.put(e.key, e.value);
            }
        }
    }

    /** The host's state, created (not yet stored) when the host is new. */
    HostState get(String host, long now) {
        return byHost.computeIfAbsent(host, h -> HostState.fresh(h, HostLimits.of(config, h), now));
    }

    /** Writes the host's state through to the store. */
    void save(HostState state) {
        store.put(state.host(), state);
    }

    /** Every known host, in first-seen order; {@link Iterator#remove()} is not supported, use {@link #evictIdle}. */
    Iterable<HostState> all() {
        return () -> java.util.Collections.unmodifiableCollection(byHost.values()).iterator();
    }

    /** Forgets hosts whose state says nothing a fresh one would not, so the store does not grow with every host ever seen. */
    int evictIdle(long now) {
        int evicted = 0;
        for (Iterator<HostState> it = byHost.values().iterator(); it.hasNext(); ) {
            HostState s = it.next();
            if (s.isIdle(now)) {
                it.remove();
                store.delete(s.host());
                evicted++;
            }
        }
        return evicted;
    }

    int size() {
        return byHost.size();
    }
}
