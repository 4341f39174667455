package io.sluice.sinks.etl;

import io.sluice.sinks.etl.LatestPerUser.Change;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The table {@code etl_user_positions} (migration V5): per user, the source position of the last change
 * the sink applied, deletions included. All calls run in the caller's transaction, so the positions
 * commit with the rows and the offsets, or not at all.
 */
final class UserPositions {

    private final String table;

    UserPositions(String schema) {
        this.table = EtlSchema.requireIdentifier(schema) + ".etl_user_positions";
    }

    /**
     * The changes of {@code latest} that come after what the sink applied: a positioned change newer than
     * the user's stored position (or the user has none); a tombstone only for a user with no stored
     * position. Locks the stored positions it reads until the transaction ends.
     */
    List<Change> newerThanApplied(Connection tx, LatestPerUser latest) throws SQLException {
        Map<Long, SourcePosition> applied = read(tx, latest.userIds());
        List<Change> newer = new ArrayList<>(latest.changes().size());
        for (Change c : latest.changes()) {
            SourcePosition stored = applied.get(c.userId());
            boolean apply = stored == null || (c.position() != null && c.position().isAfter(stored));
            if (apply) newer.add(c);
        }
        return newer;
    }

    private Map<Long, SourcePosition> read(Connection tx, long[] userIds) throws SQLException {
        Map<Long, SourcePosition> positions = new HashMap<>();
        Array ids = tx.createArrayOf("bigint", boxed(userIds));
        try (PreparedStatement ps = tx.prepareStatement("SELECT user_id, source_ts_ms, source_ord FROM " + table
                + " WHERE user_id = ANY (?) FOR UPDATE")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int ord = rs.getInt(3);
                    positions.put(rs.getLong(1), new SourcePosition(rs.getLong(2), rs.wasNull() ? null : ord));
                }
            }
        } finally {
            ids.free();
        }
        return positions;
    }

    /** Stores the positions of the applied changes; a tombstone has none and stores nothing. */
    void store(Connection tx, List<Change> applied) throws SQLException {
        List<Change> positioned = applied.stream().filter(c -> c.position() != null).toList();
        if (positioned.isEmpty()) return;
        Long[] users = new Long[positioned.size()];
        Long[] ts = new Long[users.length];
        Integer[] ords = new Integer[users.length];
        Boolean[] deleted = new Boolean[users.length];
        for (int i = 0; i < users.length; i++) {
            Change c = positioned.get(i);
            users[i] = c.userId();
            ts[i] = c.position().tsMs();
            ords[i] = c.position().ord();
            deleted[i] = c.deletes();
        }
        try (PreparedStatement ps = tx.prepareStatement("INSERT INTO " + table
                + " (user_id, source_ts_ms, source_ord, deleted, updated_at)"
                + " SELECT u, t, o, d, now() FROM unnest(?::bigint[], ?::bigint[], ?::integer[], ?::boolean[]) AS x(u, t, o, d)"
                + " ON CONFLICT (user_id) DO UPDATE SET source_ts_ms = EXCLUDED.source_ts_ms, source_ord = EXCLUDED.source_ord,"
                + " deleted = EXCLUDED.deleted, updated_at = EXCLUDED.updated_at")) {
            ps.setArray(1, tx.createArrayOf("bigint", users));
            ps.setArray(2, tx.createArrayOf("bigint", ts));
            ps.setArray(3, tx.createArrayOf("integer", ords));
            ps.setArray(4, tx.createArrayOf("boolean", deleted));
            ps.executeUpdate();
        }
    }

    /**
     * Forgets the deletions applied longer than {@code retention} ago: after that, a stale create of a
     * deleted user is applied again. A live user's position is never forgotten.
     *
     * @return how many deletion positions were removed
     */
    int forgetDeletionsOlderThan(Connection tx, Duration retention) throws SQLException {
        try (PreparedStatement ps = tx.prepareStatement("DELETE FROM " + table
                + " WHERE deleted AND updated_at < now() - ? * interval '1 millisecond'")) {
            ps.setLong(1, retention.toMillis());
            return ps.executeUpdate();
        }
    }

    private static Long[] boxed(long[] values) {
        Long[] boxed = new Long[values.length];
        for (int i = 0; i < values.length; i++) boxed[i] = values[i];
        return boxed;
    }
}
