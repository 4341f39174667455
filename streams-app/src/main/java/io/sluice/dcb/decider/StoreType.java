package io.sluice.dcb.decider;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where the decider keeps its stores locally. Both are backed by compacted changelog topics, so
 * both survive a restart; they differ in what a restart costs and how much heap the index takes.
 */
public enum StoreType {
    /** RocksDB on disk: restarts reuse the local state, the index may exceed the heap. The default. */
    ROCKSDB,
    /** On the heap: faster per command, but every start restores the whole log and re-indexes it. */
    IN_MEMORY;

    /** Parses a name case-insensitively; anything else is an error listing the allowed values. */
    public static StoreType parse(String value) {
        String normalised = value == null ? "" : value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (StoreType type : values()) {
            if (type.name().equals(normalised)) return type;
        }
        throw new IllegalArgumentException("unknown store type '" + value + "'; allowed values: "
                + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
