package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.RepoRecord;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * RepoRecords the records sink dead-letters, counted against their DID's status (see V7__backfill_partial.sql):
 * each is kept once per run in {@code repo_record_rejections}, and a DONE or PARTIAL row of the same run
 * in {@code backfill_dids} becomes PARTIAL with {@code records} less and {@code dead_lettered} more by the
 * number newly kept. A status arriving later is adjusted by {@link BackfillDidsTable} from the same table.
 */
final class RecordRejections {

    static final String FIRST_ERROR = "records-sink: records of this repository were refused by PostgreSQL"
            + " (backfill.dlq, stage records-sink)";

    private static final String RECORD = """
            WITH kept AS (
                INSERT INTO repo_record_rejections (did, run_id, collection, rkey, cid)
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                ON CONFLICT DO NOTHING
                RETURNING did, run_id),
            counted AS (SELECT did, run_id, count(*) AS n FROM kept GROUP BY did, run_id)
            UPDATE backfill_dids d
               SET state = 'PARTIAL', records = greatest(d.records - counted.n, 0),
                   dead_lettered = d.dead_lettered + counted.n, last_error = COALESCE(d.last_error, ?)
              FROM counted
             WHERE d.did = counted.did AND d.run_id = counted.run_id AND d.state IN ('DONE', 'PARTIAL')""";

    private RecordRejections() {
    }

    static void record(Connection tx, List<RepoRecord> rejected) throws SQLException {
        if (rejected.isEmpty()) return;
        int n = rejected.size();
        String[][] columns = new String[5][n];
        for (int i = 0; i < n; i++) {
            RepoRecord r = rejected.get(i);
            columns[0][i] = r.getDid();
            columns[1][i] = r.getRunId();
            columns[2][i] = r.getCollection();
            columns[3][i] = r.getRkey();
            columns[4][i] = r.getCid();
        }
        try (PreparedStatement st = tx.prepareStatement(RECORD)) {
            Array[] arrays = new Array[columns.length];
            try {
                for (int c = 0; c < columns.length; c++) {
                    arrays[c] = tx.createArrayOf("text", columns[c]);
                    st.setArray(c + 1, arrays[c]);
                }
                st.setString(columns.length + 1, FIRST_ERROR);
                st.executeUpdate();
                // a repository missing a record is not stored completely: the next run downloads it again
                try (PreparedStatement forget = tx.prepareStatement("DELETE FROM backfill_stored WHERE did = ANY (?)")) {
                    forget.setArray(1, arrays[0]);
                    forget.executeUpdate();
                }
            } finally {
                for (Array a : arrays) if (a != null) a.free();
            }
        }
    }
}
