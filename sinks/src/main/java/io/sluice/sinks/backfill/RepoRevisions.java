package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.RepoRecord;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table {@code repo_revisions} (migration V6): per DID, the newest revision the sink applied records
 * of. Calls run in the sink's transaction, so the revisions commit with the records and the offsets.
 */
final class RepoRevisions {

    private static final String READ = "SELECT did, rev FROM repo_revisions WHERE did = ANY (?) FOR UPDATE";
    private static final String STORE = """
            INSERT INTO repo_revisions (did, rev)
            SELECT did, rev FROM unnest(?::text[], ?::text[]) AS r(did, rev)
            ON CONFLICT (did) DO UPDATE SET rev = EXCLUDED.rev WHERE EXCLUDED.rev > repo_revisions.rev""";

    private RepoRevisions() {
    }

    /**
     * Keeps the records of {@code records} that belong to the newest export of their repository known so
     * far (stored or in this batch), and stores that newest revision per DID. A record of an older export
     * is dropped: a newer export of the repository has been (or is being) applied.
     */
    static List<RepoRecord> newestExports(Connection tx, Collection<RepoRecord> records) throws SQLException {
        if (records.isEmpty()) return List.of();
        Map<String, String> newest = new HashMap<>();
        for (RepoRecord r : records) newest.merge(r.getDid(), r.getRev(), RepoRevisions::max);
        read(tx, newest.keySet()).forEach((did, rev) -> newest.merge(did, rev, RepoRevisions::max));
        List<RepoRecord> kept = new ArrayList<>(records.size());
        for (RepoRecord r : records) {
            if (r.getRev().equals(newest.get(r.getDid()))) kept.add(r);
        }
        store(tx, newest);
        return kept;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static Map<String, String> read(Connection tx, Collection<String> dids) throws SQLException {
        Map<String, String> revs = new HashMap<>();
        Array array = tx.createArrayOf("text", dids.toArray(String[]::new));
        try (PreparedStatement st = tx.prepareStatement(READ)) {
            st.setArray(1, array);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) revs.put(rs.getString(1), rs.getString(2));
            }
        } finally {
            array.free();
        }
        return revs;
    }

    private static void store(Connection tx, Map<String, String> newest) throws SQLException {
        String[] dids = newest.keySet().toArray(String[]::new);
        String[] revs = new String[dids.length];
        for (int i = 0; i < dids.length; i++) revs[i] = newest.get(dids[i]);
        try (PreparedStatement st = tx.prepareStatement(STORE)) {
            st.setArray(1, tx.createArrayOf("text", dids));
            st.setArray(2, tx.createArrayOf("text", revs));
            st.executeUpdate();
        }
    }
}
