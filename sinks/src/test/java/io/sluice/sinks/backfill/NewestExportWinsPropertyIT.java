package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.sinks.core.SinkMigrations;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.testing.PropertyDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.avro.specific.SpecificRecord;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Newest export wins in the records sink, as a property against real PostgreSQL: for any sequence of
 * repository exports (each a rev, later exports higher, of some of a repository's record keys) of two
 * DIDs, delivered with bounded reordering, redeliveries of old records and any batch size, every record
 * of each DID's newest export is in {@code repo_records} as that export has it, and every other row is a
 * record an older export of the same DID really held (keys the newest export dropped may stay, as
 * repo_records documents). Exactly: the table equals a model that applies a record only if no newer
 * export of its DID was delivered by the end of its batch, and keeps per key the highest rev applied.
 */
@Tag("integration")
class NewestExportWinsPropertyIT {

    private static final List<String> KEYS = List.of("a", "b", "c", "d");
    private static PropertyDatabase database;

    @BeforeContainer
    static void createDatabase() throws SQLException {
        database = PropertyDatabase.create("newestexport");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(database.endpoint().jdbcUrl());
        if (!database.endpoint().user().isEmpty()) ds.setUser(database.endpoint().user());
        SinkMigrations.migrate(ds, "public");
    }

    @AfterContainer
    static void dropDatabase() throws SQLException {
        if (database != null) database.drop();
    }

    /** One export of repository {@code did}: the keys in {@code keyMask}'s bits. */
    record Export(int did, int keyMask) {
    }

    record Scenario(List<Export> exports, List<Integer> redeliveries, List<Integer> swaps, int batchSize) {
    }

    @Property(tries = 60, shrinking = ShrinkingMode.FULL)
    void eachRepositoryHoldsItsNewestExport(@ForAll("scenarios") Scenario scenario) throws SQLException {
        List<SinkRecord<String, SpecificRecord>> deliveries = deliveries(scenario);
        try (Connection c = database.endpoint().connect()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("TRUNCATE repo_records, repo_revisions");
            }
            c.commit();
            for (int from = 0; from < deliveries.size(); from += scenario.batchSize()) {
                new BackfillWriter().write(c, deliveries.subList(from, Math.min(from + scenario.batchSize(), deliveries.size())));
                c.commit();
            }
            List<String> rows = new ArrayList<>();
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT did, rkey, record->>'text', rev FROM repo_records ORDER BY did, rkey")) {
                while (rs.next()) rows.add(rs.getString(1) + "/" + rs.getString(2) + "=" + rs.getString(3) + "@" + rs.getString(4));
            }
            c.commit();
            for (int did = 1; did <= 2; did++) assertRepository(scenario.exports(), did, rows);
            assertThat(rows).isEqualTo(model(deliveries, scenario.batchSize()));
        }
    }

    private static void assertRepository(List<Export> exports, int did, List<String> rows) {
        int newest = -1;
        for (int i = 0; i < exports.size(); i++) if (exports.get(i).did() == did) newest = i;
        List<String> ofDid = rows.stream().filter(r -> r.startsWith(did(did) + "/")).toList();
        if (newest < 0) {
            assertThat(ofDid).isEmpty();
            return;
        }
        for (String key : keys(exports.get(newest))) assertThat(ofDid).contains(row(newest, exports.get(newest), key));
        for (String r : ofDid) {
            boolean held = false;
            for (int i = 0; i <= newest; i++) {
                Export e = exports.get(i);
                for (String k : keys(e)) if (e.did() == did && r.equals(row(i, e, k))) held = true;
            }
            assertThat(held).as("row %s was in an export of %s", r, did(did)).isTrue();
        }
    }

    /** The rule, simply: per batch, the newest rev of each DID delivered so far; only its records apply. */
    private static List<String> model(List<SinkRecord<String, SpecificRecord>> deliveries, int batchSize) {
        java.util.Map<String, String> newestRev = new java.util.HashMap<>();
        java.util.TreeMap<String, RepoRecord> table = new java.util.TreeMap<>();
        for (int from = 0; from < deliveries.size(); from += batchSize) {
            List<SinkRecord<String, SpecificRecord>> batch = deliveries.subList(from, Math.min(from + batchSize, deliveries.size()));
            for (SinkRecord<String, SpecificRecord> d : batch) {
                RepoRecord r = (RepoRecord) d.value();
                newestRev.merge(r.getDid(), r.getRev(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
            }
            for (SinkRecord<String, SpecificRecord> d : batch) {
                RepoRecord r = (RepoRecord) d.value();
                if (!r.getRev().equals(newestRev.get(r.getDid()))) continue;
                table.merge(r.getDid() + "/" + r.getRkey(), r, (a, b) -> b.getRev().compareTo(a.getRev()) > 0 ? b : a);
            }
        }
        return table.values().stream().map(r -> r.getDid() + "/" + r.getRkey() + "=" + r.getRecordJson()
                .replace("{\"text\":\"", "").replace("\"}", "") + "@" + r.getRev()).toList();
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Export> export = Combinators.combine(Arbitraries.integers().between(1, 2), Arbitraries.integers().between(1, 15))
                .as(Export::new);
        return Combinators.combine(export.list().ofMinSize(1).ofMaxSize(6),
                        Arbitraries.integers().between(0, 40).list().ofMaxSize(6),
                        Arbitraries.integers().between(0, 40).list().ofMaxSize(8),
                        Arbitraries.integers().between(1, 7))
                .as(Scenario::new);
    }

    /** The exports' records in order, then neighbours swapped (bounded reordering), then old ones again. */
    private static List<SinkRecord<String, SpecificRecord>> deliveries(Scenario scenario) {
        List<SinkRecord<String, SpecificRecord>> out = new ArrayList<>();
        for (int i = 0; i < scenario.exports().size(); i++) {
            Export e = scenario.exports().get(i);
            for (String key : keys(e)) {
                RepoRecord r = new RepoRecord(did(e.did()), "app.bsky.feed.post", key, "bafyrei" + i + key, rev(i),
                        "{\"text\":\"export " + i + "\"}", "run-" + i, null);
                out.add(new SinkRecord<>("backfill.records", 0, out.size(), 0L, r.getDid(), r));
            }
        }
        for (int at : scenario.swaps()) {
            int i = at % out.size();
            Collections.swap(out, i, Math.min(out.size() - 1, i + 1 + at % 3));
        }
        int delivered = out.size();
        for (int index : scenario.redeliveries()) out.add(out.get(index % delivered));
        return out;
    }

    private static String row(int exportIndex, Export e, String key) {
        return did(e.did()) + "/" + key + "=export " + exportIndex + "@" + rev(exportIndex);
    }

    private static List<String> keys(Export e) {
        List<String> keys = new ArrayList<>();
        for (int k = 0; k < KEYS.size(); k++) if ((e.keyMask() & (1 << k)) != 0) keys.add(KEYS.get(k));
        return keys;
    }

    private static String did(int n) {
        return "did:plc:repo" + n;
    }

    /** The i-th export's rev: a TID-shaped text that sorts by i. */
    private static String rev(int i) {
        return "3kaaaaaaaa" + (char) ('a' + i) + "22";
    }
}
