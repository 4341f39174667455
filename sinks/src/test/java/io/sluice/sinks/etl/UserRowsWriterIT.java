package io.sluice.sinks.etl;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.schemas.etl.AttachmentRow;
import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.etl.testing.EtlDatabase;
import io.sluice.sinks.etl.testing.EtlTableContents;
import io.sluice.sinks.etl.testing.TestBundles;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static io.sluice.sinks.etl.testing.EtlDatabase.records;
import static io.sluice.sinks.etl.testing.EtlDatabase.tombstone;
import static io.sluice.sinks.etl.testing.TestBundles.bundle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer against real PostgreSQL, in a schema migrated by Flyway as the sink's, one transaction per
 * batch as the sink core runs it. Expected table contents are computed from the bundles by
 * {@link EtlTableContents#expected}, independently of the writer's column mapping.
 */
@WithSluiceStack
class UserRowsWriterIT {

    private static final int USERS = 100;

    @Test
    void writesAllFifteenTablesForAHundredUsers(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_all");
        List<UserRows> v1 = users(1);
        db.writeInBatches(new UserRowsWriter(db.schema()), records(v1), 30);

        EtlTableContents actual = db.contents();
        assertThat(actual.rows()).isEqualTo(EtlTableContents.expected(v1).rows());
        assertThat(actual.counts()).allSatisfy((table, count) -> assertThat(count).as(table).isPositive());
        assertThat(actual.counts()).containsEntry("users", USERS);
        assertThat(actual.totalRows()).isEqualTo(v1.stream().mapToLong(TestBundles::rowCount).sum());
    }

    @Test
    void updatesThatShrinkOrGrowArraysAndDeletesLeaveEachUsersLatestState(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_changes");
        List<SinkRecord<Long, UserRows>> history = history();
        db.writeInBatches(new UserRowsWriter(db.schema()), history, 45);

        EtlTableContents actual = db.contents();
        assertThat(actual.rows()).isEqualTo(EtlTableContents.expected(latest(history)).rows());
        assertThat(actual.counts()).containsEntry("users", USERS - 10);
        // The history does what its name says: some users' arrays grew, others' shrank.
        assertThat(LongStream.range(0, 80)).anyMatch(u -> TestBundles.rowCount(bundle(u, 2)) > TestBundles.rowCount(bundle(u, 1)))
                .anyMatch(u -> TestBundles.rowCount(bundle(u, 2)) < TestBundles.rowCount(bundle(u, 1)));
    }

    @Test
    void replayingEveryRecordGivesIdenticalTables(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_replay");
        UserRowsWriter writer = new UserRowsWriter(db.schema());
        List<SinkRecord<Long, UserRows>> history = history();
        db.writeInBatches(writer, history, 45);
        Map<String, String> once = db.contents().checksums();

        db.writeInBatches(writer, history, 7); // other batch boundaries, same records
        assertThat(db.contents().checksums()).isEqualTo(once);
        db.writeInBatches(writer, history, history.size());
        assertThat(db.contents().checksums()).isEqualTo(once)
                .isEqualTo(EtlTableContents.expected(latest(history)).checksums());
    }

    @Test
    void theNewestChangeOfAUserInABatchWins(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_latest");
        List<SinkRecord<Long, UserRows>> batch = new ArrayList<>(records(List.of(bundle(1, 1), bundle(1, 2), bundle(2, 1))));
        batch.add(tombstone(1));
        batch.addAll(records(List.of(bundle(1, 3), TestBundles.deleted(2), bundle(3, 1))));
        db.writeInBatches(new UserRowsWriter(db.schema()), batch, batch.size());

        assertThat(db.contents().rows()).isEqualTo(EtlTableContents.expected(List.of(bundle(1, 3), bundle(3, 1))).rows());
    }

    @Test
    void olderChangesInLaterBatchesChangeNothingAndAreCounted(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_stale");
        UserRowsWriter writer = new UserRowsWriter(db.schema());
        db.writeInBatches(writer, records(List.of(bundle(1, 2), bundle(2, 1), TestBundles.deleted(2), bundle(3, 1))), 1);
        db.writeInBatches(writer, records(List.of(bundle(3, 2), TestBundles.deleted(3))), 1);
        Map<String, String> newest = db.contents().checksums();
        long before = writer.skippedChanges();

        // A redelivery, an older update, a deleted user's old create, a re-created user's... old delete comes below.
        UserRowsWriter restarted = new UserRowsWriter(db.schema());
        db.writeInBatches(restarted, records(List.of(bundle(1, 2), bundle(1, 1), bundle(2, 1), bundle(3, 1))), 2);
        assertThat(db.contents().checksums()).isEqualTo(newest)
                .isEqualTo(EtlTableContents.expected(List.of(bundle(1, 2))).checksums());
        assertThat(restarted.skippedChanges()).isEqualTo(4);
        assertThat(before).isZero();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EtlSink.registerSkipped(meters, EtlSink.STAGE, "g", restarted);
        assertThat(meters.get(EtlSink.SKIPPED).tag("group", "g").functionCounter().count()).isEqualTo(4.0);

        UserRows recreated = UserRows.newBuilder(bundle(3, 60)).build(); // after the deletion at second 50
        db.writeInBatches(restarted, records(List.of(recreated)), 1);
        db.writeInBatches(restarted, records(List.of(TestBundles.deleted(3))), 1);
        db.writeInBatches(restarted, List.of(tombstone(3)), 1);
        assertThat(db.contents().rows()).isEqualTo(EtlTableContents.expected(List.of(bundle(1, 2), recreated)).rows());
    }

    @Test
    void aDeletionStopsStaleCreatesForTheRetentionOnly(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_retention");
        UserRowsWriter writer = new UserRowsWriter(db.schema(), Duration.ofDays(7));
        db.writeInBatches(writer, records(List.of(bundle(1, 1), TestBundles.deleted(1), bundle(2, 1), TestBundles.deleted(2))), 4);
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE " + db.schema() + ".etl_user_positions SET updated_at = now() - interval '8 days' WHERE user_id = 2");
            c.commit();
        }
        // A new writer forgets old deletions on its first batch: user 2's stale create is applied, user 1's is not.
        db.writeInBatches(new UserRowsWriter(db.schema(), Duration.ofDays(7)), records(List.of(bundle(1, 1), bundle(2, 1))), 2);
        assertThat(db.contents().rows()).isEqualTo(EtlTableContents.expected(List.of(bundle(2, 1))).rows());
        assertThatThrownBy(() -> new UserRowsWriter(db.schema(), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delete retention must be positive");
    }

    @Test
    void usernamesAndEmailsMayMoveBetweenUsersWithinABatch(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_swap");
        UserRowsWriter writer = new UserRowsWriter(db.schema());
        db.writeInBatches(writer, records(List.of(bundle(1, 1), bundle(2, 1))), 2);

        // A swap: each new value is still held by the other user until that user's old rows go.
        UserRows one = TestBundles.withIdentity(bundle(1, 2), "user2", "user2@example.com");
        UserRows two = TestBundles.withIdentity(bundle(2, 2), "user1", "user1@example.com");
        db.writeInBatches(writer, records(List.of(one, two)), 2);

        assertThat(db.contents().rows()).isEqualTo(EtlTableContents.expected(List.of(one, two)).rows());
    }

    @Test
    void foreignKeysAndUniqueConstraintsRefuseBadBundles(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_constraints");
        UserRowsWriter writer = new UserRowsWriter(db.schema());
        db.writeInBatches(writer, records(List.of(bundle(1, 1))), 1);
        Map<String, String> before = db.contents().checksums();

        UserRows orphanAttachment = UserRows.newBuilder(bundle(2, 1)).setAttachments(List.of(
                new AttachmentRow(20_000L, 29_999L, 2L, "lost.png", 1L, "image/png"))).build();
        assertThat(refusal(db, writer, records(List.of(orphanAttachment)))).isEqualTo("23503"); // foreign_key_violation
        UserRows takenUsername = TestBundles.withIdentity(bundle(3, 1), "user1", "user3@example.com");
        assertThat(refusal(db, writer, records(List.of(takenUsername)))).isEqualTo("23505"); // unique_violation
        UserRows takenEmail = TestBundles.withIdentity(bundle(3, 1), "user3", "user1@example.com");
        assertThat(refusal(db, writer, records(List.of(takenEmail)))).isEqualTo("23505");

        UserRows foreignRow = UserRows.newBuilder(bundle(4, 1)).setAttachments(List.of(
                new AttachmentRow(40_000L, 40_000L, 5L, "x.png", 1L, "image/png"))).build();
        assertThatThrownBy(() -> refusal(db, writer, records(List.of(foreignRow))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row of user 5");
        SinkRecord<Long, UserRows> wrongKey = new SinkRecord<>("t", 0, 0, 0, 7L, bundle(4, 1));
        assertThatThrownBy(() -> refusal(db, writer, List.of(wrongKey)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key 7");
        assertThat(db.contents().checksums()).isEqualTo(before);
    }

    @Test
    void theTablesAreTheMigrationsColumnForColumn(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_columns");
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("SELECT column_name, data_type"
                + " FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            for (EtlTable<?> table : EtlTables.PARENTS_FIRST) {
                ps.setString(1, db.schema());
                ps.setString(2, table.name());
                List<String> actual = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) actual.add(rs.getString(1) + " " + rs.getString(2));
                }
                assertThat(actual).as(table.name())
                        .isEqualTo(table.columns().stream().map(col -> col.name() + " " + col.type().sqlName()).toList());
            }
        }
        assertThat(EtlTables.PARENTS_FIRST).extracting(EtlTable::name).isEqualTo(EtlTableContents.TABLES);
    }

    /** Not a benchmark: a smoke figure for the write path (printed to the failsafe output). */
    @Test
    void measuresTheWritePath(TestStack stack) throws SQLException {
        EtlDatabase db = EtlDatabase.migrate(stack.postgres(), "etl_throughput");
        UserRowsWriter writer = new UserRowsWriter(db.schema());
        int users = Integer.getInteger("sluice.etl.benchUsers", 600);
        List<UserRows> bundles = LongStream.range(0, users).mapToObj(u -> bundle(u, 1)).toList();
        long rows = bundles.stream().mapToLong(TestBundles::rowCount).sum();
        List<SinkRecord<Long, UserRows>> records = records(bundles);
        for (int run = 1; run <= 4; run++) { // run 1 inserts into empty tables, later runs replace every row
            long start = System.nanoTime();
            db.writeInBatches(writer, records, EtlSink.BATCH_SIZE);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("UserRowsWriter run %d: %,d users, %,d rows in %.3f s = %,.0f rows/s%n",
                    run, users, rows, seconds, rows / seconds);
        }
        assertThat(db.contents().totalRows()).isEqualTo(rows);
    }

    /** v1 of every user; v2 of users 0..79; users 80..89 deleted (half with a tombstone after); v3 of users 0..9. */
    private static List<SinkRecord<Long, UserRows>> history() {
        List<SinkRecord<Long, UserRows>> history = new ArrayList<>(records(users(1)));
        history.addAll(records(LongStream.range(0, 80).mapToObj(u -> bundle(u, 2)).toList()));
        for (long u = 80; u < 90; u++) {
            history.add(records(List.of(TestBundles.deleted(u))).getFirst());
            if (u % 2 == 0) history.add(tombstone(u)); // as Debezium follows a delete
        }
        history.addAll(records(LongStream.range(0, 10).mapToObj(u -> bundle(u, 3)).toList()));
        return history;
    }

    /** The users' last bundles, computed here without the writer's LatestPerUser. */
    private static List<UserRows> latest(List<SinkRecord<Long, UserRows>> history) {
        Map<Long, UserRows> last = new TreeMap<>();
        for (SinkRecord<Long, UserRows> r : history) {
            if (r.value() == null) last.remove(r.key());
            else last.put(r.key(), r.value());
        }
        return List.copyOf(last.values());
    }

    private static List<UserRows> users(int version) {
        return LongStream.range(0, USERS).mapToObj(u -> bundle(u, version)).toList();
    }

    /** Writes a batch that must be refused; returns the SQLState, leaving the tables as they were. */
    private static String refusal(EtlDatabase db, UserRowsWriter writer, List<SinkRecord<Long, UserRows>> batch) throws SQLException {
        try (Connection c = db.connect()) {
            Savepoint before = c.setSavepoint();
            try {
                writer.write(c, batch);
                c.commit();
                throw new AssertionError("the batch was accepted");
            } catch (SQLException e) {
                c.rollback(before);
                return e.getSQLState();
            } finally {
                c.rollback();
            }
        }
    }
}
