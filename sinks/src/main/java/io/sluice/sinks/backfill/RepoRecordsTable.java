package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.RepoRecord;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Upserts RepoRecords into {@code repo_records} with one statement per batch: the columns travel as
 * seven text arrays and {@code unnest} turns them back into rows, so a batch of thousands costs one
 * round trip and one plan, without the temporary table a COPY-then-merge would need. A row changes only
 * for a higher {@code rev} (see the migration), so a replay rewrites nothing.
 *
 * <p>The rows must have distinct keys: one INSERT cannot update a row twice ({@link BackfillWriter}
 * keeps the last of each key).
 */
final class RepoRecordsTable {

    static final String UPSERT = """
            INSERT INTO repo_records (did, collection, rkey, cid, rev, record, run_id)
            SELECT did, collection, rkey, cid, rev, record::jsonb, run_id
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 AS r(did, collection, rkey, cid, rev, record, run_id)
            ON CONFLICT (did, collection, rkey) DO UPDATE
               SET cid = EXCLUDED.cid, rev = EXCLUDED.rev, record = EXCLUDED.record, run_id = EXCLUDED.run_id
             WHERE EXCLUDED.rev > repo_records.rev""";

    private RepoRecordsTable() {
    }

    /** @return rows inserted or changed */
    static int upsert(Connection tx, Collection<RepoRecord> records) throws SQLException {
        if (records.isEmpty()) return 0;
        int n = records.size();
        String[][] columns = new String[7][n];
        int i = 0;
        for (RepoRecord r : records) {
            columns[0][i] = r.getDid();
            columns[1][i] = r.getCollection();
            columns[2][i] = r.getRkey();
            columns[3][i] = r.getCid();
            columns[4][i] = r.getRev();
            columns[5][i] = r.getRecordJson();
            columns[6][i] = r.getRunId();
            i++;
        }
        try (PreparedStatement st = tx.prepareStatement(UPSERT)) {
            Array[] arrays = new Array[columns.length];
            try {
                for (int c = 0; c < columns.length; c++) {
                    arrays[c] = tx.createArrayOf("text", columns[c]);
                    st.setArray(c + 1, arrays[c]);
                }
                return st.executeUpdate();
            } finally {
                for (Array a : arrays) if (a != null) a.free();
            }
        }
    }
}
