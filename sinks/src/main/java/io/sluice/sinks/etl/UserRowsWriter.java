package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.SinkWriter;
import io.sluice.sinks.etl.LatestPerUser.Change;
import io.sluice.sinks.etl.pgcopy.PgCopyBinaryWriter;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ETL sink's writer: replaces each user's rows in the 15 tables with the user's newest bundle, by
 * source position.
 *
 * <p>Consumes a batch of etl.user-rows records (key the user id, value a {@link UserRows} bundle or a
 * tombstone). It keeps each user's newest change of the batch ({@link LatestPerUser}) and drops it if the
 * sink already applied a change at or after its position ({@code etl_user_positions}, see
 * {@link UserPositions}; such changes are counted in {@link #skippedChanges()}). Then, in the sink's
 * transaction, it deletes the rows of every user whose change it applies that has any
 * from each table, children first ({@code DELETE ... WHERE user_id = ANY(?)}, one array parameter per
 * table; users without a users row have none, see {@link #delete}), then writes
 * the bundle of each of those users that was not deleted with one binary COPY per table, parents first,
 * and stores the applied changes' positions. Deletion positions are kept for the delete retention
 * (default {@link #DEFAULT_DELETE_RETENTION}), so that a stale create cannot bring a deleted user back
 * within it; older ones are removed at most once a minute.
 * Foreign keys and unique constraints stay on; the server checks every row before the call returns
 * (the foreign keys are deferred to the end of the call, see {@code V2__etl_tables.sql}).
 *
 * <p>Guarantees: the tables end up as the newest change of each user says, whatever the batch boundaries
 * and the order the changes arrive in, so replaying the topic from the beginning, redelivering or
 * reordering changes gives identical tables; a change at the position already applied changes nothing.
 * Because all deletes precede all COPYs, a username or email moving from one user to another within a batch (a swap included) is fine.
 * What is not: a value moving to a user whose change comes in an earlier batch than the change that
 * frees it (an earlier offset in another partition, say); that bundle violates the unique constraint
 * and is dead-lettered by the sink. A record that is not applicable (key and user differ, a row of
 * another user, a number that is not one) fails the batch with an {@link IllegalArgumentException}
 * or a data error, and the sink isolates it.
 *
 * <p>Keeps nothing across calls that the tables depend on (only the skip count and when it last removed
 * old deletion positions), so safe to share; each call has its own COPY buffer.
 */
public final class UserRowsWriter implements SinkWriter<Long, UserRows> {

    /** How long a deletion's position stops stale changes of the deleted user: longer than any redelivery. */
    public static final Duration DEFAULT_DELETE_RETENTION = Duration.ofDays(7);
    private static final long FORGET_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    private final String schema;
    private final Duration deleteRetention;
    private final UserPositions positions;
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong lastForgetNanos = new AtomicLong(System.nanoTime() - FORGET_EVERY_NANOS);

    /** With the {@link #DEFAULT_DELETE_RETENTION}. */
    public UserRowsWriter(String schema) {
        this(schema, DEFAULT_DELETE_RETENTION);
    }

    /**
     * @param schema          the schema holding the tables (the sink's: where Flyway migrated)
     * @param deleteRetention how long a deleted user's last position is kept; positive
     */
    public UserRowsWriter(String schema, Duration deleteRetention) {
        this.schema = EtlSchema.requireIdentifier(schema);
        if (deleteRetention == null || deleteRetention.isNegative() || deleteRetention.isZero()) {
            throw new IllegalArgumentException("the delete retention must be positive, got " + deleteRetention);
        }
        this.deleteRetention = deleteRetention;
        this.positions = new UserPositions(schema);
    }

    @Override
    public void write(Connection tx, List<SinkRecord<Long, UserRows>> batch) throws SQLException {
        LatestPerUser latest = LatestPerUser.of(batch);
        if (latest.isEmpty()) return;
        forgetOldDeletions(tx);
        List<Change> newer = positions.newerThanApplied(tx, latest);
        // What the batch held beyond the applied changes: older changes, redeliveries, superseded tombstones.
        skipped.addAndGet(batch.size() - newer.size());
        if (newer.isEmpty()) return;
        List<UserRows> live = newer.stream().filter(c -> !c.deletes()).map(Change::bundle).toList();
        try (Statement st = tx.createStatement()) {
            // Checked at IMMEDIATE below, when the users and messages the batch deletes and writes again
            // are back: each deleted parent then costs one lookup of its own key, not one per child table.
            st.execute("SET CONSTRAINTS ALL DEFERRED");
            delete(tx, newer.stream().mapToLong(Change::userId).toArray());
            PgCopyBinaryWriter out = new PgCopyBinaryWriter();
            for (EtlTable<?> table : EtlTables.PARENTS_FIRST) table.copy(tx, schema, live, out);
            // Every deferred check runs now, so a violation fails this call (and the sink isolates the
            // record) rather than the commit.
            st.execute("SET CONSTRAINTS ALL IMMEDIATE");
        }
        positions.store(tx, newer);
    }

    private void forgetOldDeletions(Connection tx) throws SQLException {
        long last = lastForgetNanos.get();
        long now = System.nanoTime();
        if (now - last < FORGET_EVERY_NANOS || !lastForgetNanos.compareAndSet(last, now)) return;
        positions.forgetDeletionsOlderThan(tx, deleteRetention);
    }

    /**
     * Records that did not change the tables because a change at or after their position was applied (in
     * an earlier batch or the same one): redeliveries, replays, reordered older changes. Counted per
     * attempt: a batch the sink retries counts again.
     */
    public long skippedChanges() {
        return skipped.get();
    }

    public Duration deleteRetention() {
        return deleteRetention;
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
