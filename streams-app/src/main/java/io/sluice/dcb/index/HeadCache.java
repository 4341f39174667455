package io.sluice.dcb.index;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most recently used {@link Head}s of one kind (types or tags), on the heap: nearly every
 * command reads and updates the heads of its types and tags, and a hash lookup costs a fraction of
 * a store read. Write-through: the store stays the truth, and the cache lives and dies with the
 * processor instance, so a task re-initialised after a rollback starts with an empty one.
 * Absent keys are cached as {@link Head#NONE}: new tags are common and would miss every time.
 */
final class HeadCache {

    private final Map<String, Head> heads;

    HeadCache(int capacity) {
        this.heads = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Head> eldest) {
                return size() > capacity;
            }
        };
    }

    Head get(String value) {
        return heads.get(value);
    }

    void put(String value, Head head) {
        heads.put(value, head);
    }

    void clear() {
        heads.clear();
    }
}
