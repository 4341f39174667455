package io.sluice.backfill.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What all simulated repositories hold together: a backfill of every DID must end with exactly
 * {@code records} rows whose {@link RecordChecksum} is {@code checksum}.
 */
public record ExpectedTotal(long dids, long records, Map<String, Long> collections, String checksum, long carBytes) {

    public ExpectedTotal {
        collections = Collections.unmodifiableMap(new TreeMap<>(collections));
    }
}
