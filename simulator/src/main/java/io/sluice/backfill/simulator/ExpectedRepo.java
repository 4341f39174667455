package io.sluice.backfill.simulator;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one simulated repository holds, for checking a backfill against it.
 *
 * @param records     records in the repository (MST entries)
 * @param collections records per collection, sorted by collection
 * @param checksum    {@link RecordChecksum} of every record, 16 hex digits
 * @param commit      CID of the commit (the CAR root)
 * @param rev         the commit's revision TID
 * @param carBytes    size of the {@code getRepo} body
 */
public record ExpectedRepo(String did, String host, long records, Map<String, Long> collections, String checksum,
                           String commit, String rev, long carBytes) {

    public ExpectedRepo {
        collections = Collections.unmodifiableMap(new TreeMap<>(collections));
    }

    /** {@link #checksum} as a number, to sum with others. */
    public long checksumValue() {
        return Long.parseUnsignedLong(checksum, 16);
    }
}
