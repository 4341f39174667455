package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table {@code backfill_stored} (migration V8): per DID, the last export stored completely, which a
 * rerun's fetcher compares with the PDS's latest revision. It follows each DID's newest outcome (DONE or
 * PARTIAL, by updated_at) in a batch, which backfill_dids may not keep (a later run's QUEUED in the same
 * batch supersedes it there): a DONE with a rev and no record the sink refused in its run replaces an older
 * entry; any other outcome newer than the entry removes it. A replayed older outcome changes nothing.
 */
final class StoredExports {

    private static final String FORGET = """
            DELETE FROM backfill_stored b
             USING unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[]) AS s(did, state, run_id, rev, updated_ms)
             WHERE b.did = s.did AND timestamptz 'epoch' + s.updated_ms * interval '1 millisecond' > b.updated_at
               AND (s.state <> 'DONE' OR s.rev IS NULL
                    OR EXISTS (SELECT 1 FROM repo_record_rejections r WHERE r.did = s.did AND r.run_id = s.run_id))""";
    private static final String REMEMBER = """
            INSERT INTO backfill_stored (did, rev, records, bytes, updated_at)
            SELECT did, rev, records, bytes, timestamptz 'epoch' + updated_ms * interval '1 millisecond'
              FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[])
                   AS s(did, state, run_id, rev, updated_ms, records, bytes)
             WHERE state = 'DONE' AND rev IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM repo_record_rejections r WHERE r.did = s.did AND r.run_id = s.run_id)
            ON CONFLICT (did) DO UPDATE
               SET rev = EXCLUDED.rev, records = EXCLUDED.records, bytes = EXCLUDED.bytes, updated_at = EXCLUDED.updated_at
             WHERE EXCLUDED.updated_at > backfill_stored.updated_at""";

    private StoredExports() {
    }

    /** @param statuses a batch's statuses, every one (not only each DID's latest) */
    static void apply(Connection tx, Collection<DidStatus> statuses) throws SQLException {
        Map<String, DidStatus> outcomes = new LinkedHashMap<>();
        for (DidStatus s : statuses) {
            if (s.getState() != DidState.DONE && s.getState() != DidState.PARTIAL) continue;
            outcomes.merge(s.getDid(), s, (current, next) -> next.getUpdatedAt().isAfter(current.getUpdatedAt()) ? next : current);
        }
        if (outcomes.isEmpty()) return;
        int n = outcomes.size();
        String[] did = new String[n], state = new String[n], run = new String[n], rev = new String[n];
        Long[] updated = new Long[n], records = new Long[n], bytes = new Long[n];
        int i = 0;
        for (DidStatus s : outcomes.values()) {
            did[i] = s.getDid();
            state[i] = s.getState().name();
            run[i] = s.getRunId();
            rev[i] = s.getRev();
            updated[i] = s.getUpdatedAt().toEpochMilli();
            records[i] = s.getRecords();
            bytes[i] = s.getBytes();
            i++;
        }
        Array[] arrays = {tx.createArrayOf("text", did), tx.createArrayOf("text", state), tx.createArrayOf("text", run),
                tx.createArrayOf("text", rev), tx.createArrayOf("bigint", updated), tx.createArrayOf("bigint", records),
                tx.createArrayOf("bigint", bytes)};
        try {
            execute(tx, FORGET, arrays, 5);
            execute(tx, REMEMBER, arrays, 7);
        } finally {
            for (Array a : arrays) a.free();
        }
    }

    private static void execute(Connection tx, String sql, Array[] arrays, int count) throws SQLException {
        try (PreparedStatement st = tx.prepareStatement(sql)) {
            for (int c = 0; c < count; c++) st.setArray(c + 1, arrays[c]);
            st.executeUpdate();
        }
    }
}
