package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.DidStatus;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Upserts DidStatus into {@code backfill_dids}, one statement per batch (arrays and {@code unnest}, as
 * {@link RepoRecordsTable}). The WHERE clause is {@link StatusOrder}'s rule: a status older than the row
 * by that rule changes nothing, so DONE is never regressed by a late or replayed earlier status, and a
 * replay of the topic leaves the table as it is. A status without a PDS keeps the row's PDS. A DONE or
 * PARTIAL status counts the records of its run the sink itself dead-lettered ({@link RecordRejections}).
 *
 * <p>The rows must have distinct DIDs ({@link BackfillWriter} keeps the latest of each).
 */
final class BackfillDidsTable {

    static final String UPSERT = """
            INSERT INTO backfill_dids (did, pds, state, records, bytes, attempts, last_error, run_id, updated_at,
                                       dead_lettered, rev)
            SELECT did, pds,
                   CASE WHEN state = 'DONE' AND rj.n > 0 THEN 'PARTIAL' ELSE state END,
                   CASE WHEN state IN ('DONE', 'PARTIAL') THEN greatest(records - rj.n, 0) ELSE records END,
                   bytes, attempts,
                   CASE WHEN state IN ('DONE', 'PARTIAL') AND rj.n > 0 THEN COALESCE(last_error, ?) ELSE last_error END,
                   run_id, timestamptz 'epoch' + updated_ms * interval '1 millisecond',
                   CASE WHEN state IN ('DONE', 'PARTIAL') THEN dead_lettered + rj.n ELSE dead_lettered END, rev
            FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::int[], ?::text[], ?::text[],
                        ?::bigint[], ?::bigint[], ?::text[])
                 AS s(did, pds, state, records, bytes, attempts, last_error, run_id, updated_ms, dead_lettered, rev)
                 CROSS JOIN LATERAL (SELECT count(*) AS n FROM repo_record_rejections r
                                     WHERE r.did = s.did AND r.run_id = s.run_id) rj
            ON CONFLICT (did) DO UPDATE
               SET pds = COALESCE(EXCLUDED.pds, backfill_dids.pds), state = EXCLUDED.state,
                   records = EXCLUDED.records, bytes = EXCLUDED.bytes, attempts = EXCLUDED.attempts,
                   last_error = EXCLUDED.last_error, run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at,
                   dead_lettered = EXCLUDED.dead_lettered, rev = EXCLUDED.rev
             WHERE CASE WHEN EXCLUDED.run_id = backfill_dids.run_id
                        THEN (backfill_state_rank(EXCLUDED.state), EXCLUDED.updated_at)
                             > (backfill_state_rank(backfill_dids.state), backfill_dids.updated_at)
                        ELSE EXCLUDED.updated_at > backfill_dids.updated_at END""";

    private BackfillDidsTable() {
    }

    /** @return rows inserted or changed */
    static int upsert(Connection tx, Collection<DidStatus> statuses) throws SQLException {
        if (statuses.isEmpty()) return 0;
        int n = statuses.size();
        String[] did = new String[n], pds = new String[n], state = new String[n], error = new String[n], run = new String[n],
                rev = new String[n];
        Long[] records = new Long[n], bytes = new Long[n], updated = new Long[n], dead = new Long[n];
        Integer[] attempts = new Integer[n];
        int i = 0;
        for (DidStatus s : statuses) {
            did[i] = s.getDid();
            pds[i] = s.getPds();
            state[i] = s.getState().name();
            records[i] = s.getRecords();
            bytes[i] = s.getBytes();
            attempts[i] = s.getAttempts();
            error[i] = s.getLastError();
            run[i] = s.getRunId();
            updated[i] = s.getUpdatedAt().toEpochMilli();
            dead[i] = s.getDeadLettered();
            rev[i] = s.getRev();
            i++;
        }
        try (PreparedStatement st = tx.prepareStatement(UPSERT)) {
            Array[] arrays = {tx.createArrayOf("text", did), tx.createArrayOf("text", pds),
                    tx.createArrayOf("text", state), tx.createArrayOf("bigint", records),
                    tx.createArrayOf("bigint", bytes), tx.createArrayOf("int", attempts),
                    tx.createArrayOf("text", error), tx.createArrayOf("text", run), tx.createArrayOf("bigint", updated),
                    tx.createArrayOf("bigint", dead), tx.createArrayOf("text", rev)};
            try {
                st.setString(1, RecordRejections.FIRST_ERROR);
                for (int c = 0; c < arrays.length; c++) st.setArray(c + 2, arrays[c]);
                return st.executeUpdate();
            } finally {
                for (Array a : arrays) a.free();
            }
        }
    }
}
