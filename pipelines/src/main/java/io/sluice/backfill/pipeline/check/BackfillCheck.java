package io.sluice.backfill.pipeline.check;

import io.sluice.stack.fault.Losses;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** The backfill's lost and duplicated records, counted in PostgreSQL against what each repository holds. */
public final class BackfillCheck {

    private BackfillCheck() {
    }

    /**
     * Lost: records a DID's repository holds ({@code expected}, DID → records) beyond those in
     * repo_records; duplicated: rows of one record key beyond the first, and DIDs in backfill_dids more
     * than once. {@code c}'s search path is the run's schema.
     */
    public static Losses losses(Connection c, Map<String, Long> expected) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        long duplicated;
        try (Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT did, count(*) FROM repo_records GROUP BY did")) {
                while (rs.next()) rows.put(rs.getString(1), rs.getLong(2));
            }
            try (ResultSet rs = st.executeQuery("SELECT (SELECT count(*) - count(DISTINCT (did, collection, rkey)) FROM repo_records)"
                    + " + (SELECT count(*) - count(DISTINCT did) FROM backfill_dids)")) {
                rs.next();
                duplicated = rs.getLong(1);
            }
        }
        long lost = 0;
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            lost += Math.max(0, e.getValue() - rows.getOrDefault(e.getKey(), 0L));
        }
        return new Losses(lost, duplicated);
    }
}
