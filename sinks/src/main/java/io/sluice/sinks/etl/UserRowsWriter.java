package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.SinkWriter;
import io.sluice.sinks.etl.pgcopy.PgCopyBinaryWriter;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ETL sink's writer: replaces each user's rows in the 15 tables with the user's latest bundle.
 *
 * <p>Consumes a batch of etl.user-rows records (key the user id, value a {@link UserRows} bundle or a
 * tombstone). In the sink's transaction it deletes the rows of every user in the batch that has any
 * from each table, children first ({@code DELETE ... WHERE user_id = ANY(?)}, one array parameter per
 * table; users without a users row have none, see {@link #delete}), then writes
 * the last bundle of each user that was not deleted with one binary COPY per table, parents first.
 * Foreign keys and unique constraints stay on; the server checks every row before the call returns
 * (the foreign keys are deferred to the end of the call, see {@code V2__etl_tables.sql}).
 *
 * <p>Guarantees: the tables end up as the last change of each user says, whatever the batch boundaries,
 * so replaying the topic from the beginning gives identical tables. Because all deletes precede all
 * COPYs, a username or email moving from one user to another within a batch (a swap included) is fine.
 * What is not: a value moving to a user whose change comes in an earlier batch than the change that
 * frees it (an earlier offset in another partition, say); that bundle violates the unique constraint
 * and is dead-lettered by the sink. A record that is not applicable (key and user differ, a row of
 * another user, a number that is not one) fails the batch with an {@link IllegalArgumentException}
 * or a data error, and the sink isolates it.
 *
 * <p>Stateless across calls, so safe to share; each call has its own COPY buffer.
 */
public final class UserRowsWriter implements SinkWriter<Long, UserRows> {

    private final String schema;

    /** @param schema the schema holding the tables (the sink's: where Flyway migrated) */
    public UserRowsWriter(String schema) {
        this.schema = EtlSchema.requireIdentifier(schema);
    }

    @Override
    public void write(Connection tx, List<SinkRecord<Long, UserRows>> batch) throws SQLException {
        LatestPerUser latest = LatestPerUser.of(batch);
        if (latest.isEmpty()) return;
        try (Statement st = tx.createStatement()) {
            // Checked at IMMEDIATE below, when the users and messages the batch deletes and writes again
            // are back: each deleted parent then costs one lookup of its own key, not one per child table.
            st.execute("SET CONSTRAINTS ALL DEFERRED");
            delete(tx, latest.userIds());
            PgCopyBinaryWriter out = new PgCopyBinaryWriter();
            for (EtlTable<?> table : EtlTables.PARENTS_FIRST) table.copy(tx, schema, latest.live(), out);
            // Every deferred check runs now, so a violation fails this call (and the sink isolates the
            // record) rather than the commit.
            st.execute("SET CONSTRAINTS ALL IMMEDIATE");
        }
    }

    /**
     * Deletes the rows of those of {@code userIds} that have a users row. Every other table references
     * users and the foreign keys hold at every commit, so a user without a users row has no rows at
     * all: a batch of new users (a first load, a snapshot) costs one lookup per user instead of 15
     * DELETEs, and a replay, whose users exist, deletes as before.
     */
    private void delete(Connection tx, long[] userIds) throws SQLException {
        Long[] existing = existingUsers(tx, userIds);
        if (existing.length == 0) return;
        Array ids = tx.createArrayOf("bigint", existing);
        try {
            for (EtlTable<?> table : EtlTables.CHILDREN_FIRST) {
                try (PreparedStatement ps = tx.prepareStatement(table.deleteSql(schema))) {
                    ps.setArray(1, ids);
                    ps.executeUpdate();
                }
            }
        } finally {
            ids.free();
        }
    }

    private Long[] existingUsers(Connection tx, long[] userIds) throws SQLException {
        Array ids = tx.createArrayOf("bigint", Arrays.stream(userIds).boxed().toArray(Long[]::new));
        List<Long> existing = new ArrayList<>();
        try (PreparedStatement ps = tx.prepareStatement("SELECT id FROM " + EtlTables.USERS.qualifiedName(schema)
                + " WHERE id = ANY (?)")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) existing.add(rs.getLong(1));
            }
        } finally {
            ids.free();
        }
        return existing.toArray(Long[]::new);
    }

    public String schema() {
        return schema;
    }
}
