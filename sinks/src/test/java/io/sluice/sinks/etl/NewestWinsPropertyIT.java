package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.testing.PropertyDatabase;
import io.sluice.sinks.etl.testing.EtlDatabase;
import io.sluice.sinks.etl.testing.EtlTableContents;
import io.sluice.sinks.etl.testing.TestBundles;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Newest wins, as a property against real PostgreSQL: for any history of creates, updates, deletes
 * (each followed or not by its tombstone) of a few users at increasing source positions, delivered with
 * duplicates, redeliveries of old changes, bounded reordering, any batch size, restarts of the writer
 * (a new instance over the same tables) and crashes before a commit (the batch again, to a new writer),
 * the 15 tables hold exactly the change with the highest position of every user: computed here from
 * the history alone, with the rows computed by {@link EtlTableContents#expected}, not by the writer.
 * jqwik shrinks a failure to a minimal history.
 *
 * <p>PostgreSQL in a {@link PropertyDatabase} of its own.
 */
@Tag("integration")
class NewestWinsPropertyIT {

    private static final int USERS = 3;
    private static final long FIRST_SECOND = 1_700_000_000L;

    private static PropertyDatabase database;
    private static EtlDatabase db;

    @BeforeContainer
    static void createDatabase() throws SQLException {
        database = PropertyDatabase.create("newestwins");
        db = EtlDatabase.migrate(database.endpoint(), "etl_newest");
    }

    @AfterContainer
    static void dropDatabase() throws SQLException {
        if (database != null) database.drop();
    }

    /** One change of the history: an upsert to a version of the user's document, or its deletion. */
    record Step(int user, boolean delete, int version, boolean tombstone) {
    }

    /**
     * @param history      the changes, in source order (positions increase along it)
     * @param redeliveries indexes (mod the delivery count) of deliveries sent again at the end
     * @param swaps        index and distance (1..3) of neighbouring deliveries swapped: bounded reordering
     * @param batchSize    records per transaction
     * @param restartEvery a new writer after this many batches
     * @param crashEvery   every this many batches (0: never) the batch is written, rolled back as by a crash
     *                     before the commit, and delivered again to a new writer
     */
    record Scenario(List<Step> history, List<Integer> redeliveries, List<int[]> swaps, int batchSize, int restartEvery,
                    int crashEvery) {

        @Override
        public String toString() {
            return "history=" + history + ", redeliveries=" + redeliveries + ", swaps="
                    + swaps.stream().map(s -> s[0] + "~" + s[1]).toList() + ", batchSize=" + batchSize + ", restartEvery=" + restartEvery + ", crashEvery=" + crashEvery;
        }
    }

    @Property(tries = 50, shrinking = ShrinkingMode.FULL)
    void theTablesHoldTheNewestChangeOfEveryUser(@ForAll("scenarios") Scenario scenario) throws SQLException {
        truncate();
        List<SinkRecord<Long, UserRows>> deliveries = deliveries(scenario);
        UserRowsWriter writer = new UserRowsWriter(db.schema());
        int batches = 0;
        try (Connection c = db.connect()) {
            for (int from = 0; from < deliveries.size(); from += scenario.batchSize()) {
                List<SinkRecord<Long, UserRows>> batch = deliveries.subList(from, Math.min(from + scenario.batchSize(), deliveries.size()));
                if (batches % scenario.restartEvery() == 0) writer = new UserRowsWriter(db.schema());
                if (scenario.crashEvery() > 0 && batches % scenario.crashEvery() == 0) {
                    writer.write(c, batch);
                    c.rollback();
                    writer = new UserRowsWriter(db.schema());
                }
                batches++;
                writer.write(c, batch);
                c.commit();
            }
        }
        assertThat(db.contents().rows()).isEqualTo(EtlTableContents.expected(newest(scenario.history())).rows());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(1, USERS),
                        Arbitraries.frequency(Tuple.of(3, false), Tuple.of(1, true)),
                        Arbitraries.integers().between(1, 4), Arbitraries.of(false, true))
                .as(Step::new);
        Arbitrary<int[]> swap = Combinators.combine(Arbitraries.integers().between(0, 40), Arbitraries.integers().between(1, 3))
                .as((at, distance) -> new int[] {at, distance});
        return Combinators.combine(step.list().ofMinSize(1).ofMaxSize(14),
                        Arbitraries.integers().between(0, 40).list().ofMaxSize(6),
                        swap.list().ofMaxSize(8),
                        Arbitraries.integers().between(1, 6), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(0, 3))
                .as(Scenario::new);
    }

    /** The history's records in source order, then reordered, then old ones delivered again. */
    private static List<SinkRecord<Long, UserRows>> deliveries(Scenario scenario) {
        List<SinkRecord<Long, UserRows>> out = new ArrayList<>();
        List<Step> history = scenario.history();
        for (int i = 0; i < history.size(); i++) {
            Step s = history.get(i);
            out.add(new SinkRecord<>("etl.user-rows", 0, out.size(), 0L, (long) s.user(), bundle(s, i)));
            if (s.delete() && s.tombstone()) out.add(new SinkRecord<>("etl.user-rows", 0, out.size(), 0L, (long) s.user(), null));
        }
        for (int[] swap : scenario.swaps()) {
            int at = swap[0] % out.size();
            int other = Math.min(out.size() - 1, at + swap[1]);
            Collections.swap(out, at, other);
        }
        int delivered = out.size();
        for (int index : scenario.redeliveries()) out.add(out.get(index % delivered));
        return out;
    }

    /** Step {@code i}'s change at position (second FIRST_SECOND + i / 2, increment i % 2 + 1): two changes share a second. */
    private static UserRows bundle(Step s, int i) {
        UserRows b = s.delete() ? TestBundles.deleted(s.user()) : TestBundles.bundle(s.user(), s.version());
        b.setSourceTs(Instant.ofEpochSecond(FIRST_SECOND + i / 2));
        b.setSourceOrd(i % 2 + 1);
        return b;
    }

    /** Every user's last change in source order, if it is not a deletion: what the tables must hold. */
    private static List<UserRows> newest(List<Step> history) {
        Map<Integer, UserRows> last = new TreeMap<>();
        for (int i = 0; i < history.size(); i++) {
            Step s = history.get(i);
            if (s.delete()) last.remove(s.user());
            else last.put(s.user(), bundle(s, i));
        }
        return List.copyOf(last.values());
    }

    private static void truncate() throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE " + String.join(", ", EtlTableContents.TABLES.stream().map(t -> db.schema() + ".\"" + t + "\"").toList())
                    + ", " + db.schema() + ".etl_user_positions");
            c.commit();
        }
    }
}
