package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.RepoRecord;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HexFormat;

/**
 * Upserts RepoRecords into {@code repo_records} with one statement per batch: the columns travel as
 * eight text arrays and {@code unnest} turns them back into rows, so a batch of thousands costs one
 * round trip and one plan, without the temporary table a COPY-then-merge would need. A row changes only
 * for a higher {@code rev} (see the migration), so a replay rewrites nothing.
 *
 * <p>{@code record_cbor} is set only for a record whose JSON {@code StorableJson} escaped (rare); it travels
 * as hex text, so the common row adds one null to the batch.
 *
 * <p>The rows must have distinct keys: one INSERT cannot update a row twice ({@link BackfillWriter}
 * keeps the last of each key).
 */
final class RepoRecordsTable {

    static final String UPSERT = """
            INSERT INTO repo_records (did, collection, rkey, cid, rev, record, run_id, record_cbor, record_json_escaped)
            SELECT did, collection, rkey, cid, rev, record::jsonb, run_id, decode(cbor, 'hex'), cbor IS NOT NULL
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 AS r(did, collection, rkey, cid, rev, record, run_id, cbor)
            ON CONFLICT (did, collection, rkey) DO UPDATE
               SET cid = EXCLUDED.cid, rev = EXCLUDED.rev, record = EXCLUDED.record, run_id = EXCLUDED.run_id,
                   record_cbor = EXCLUDED.record_cbor, record_json_escaped = EXCLUDED.record_json_escaped
             WHERE EXCLUDED.rev > repo_records.rev""";

    private RepoRecordsTable() {
    }

    /** @return rows inserted or changed */
    static int upsert(Connection tx, Collection<RepoRecord> records) throws SQLException {
        if (records.isEmpty()) return 0;
        int n = records.size();
        String[][] columns = new String[8][n];
        int i = 0;
        for (RepoRecord r : records) {
            columns[0][i] = r.getDid();
            columns[1][i] = r.getCollection();
            columns[2][i] = r.getRkey();
            columns[3][i] = r.getCid();
            columns[4][i] = r.getRev();
            columns[5][i] = r.getRecordJson();
            columns[6][i] = r.getRunId();
            columns[7][i] = r.getRecordCbor() == null ? null : HexFormat.of().formatHex(bytes(r.getRecordCbor()));
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

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer b = buffer.duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
