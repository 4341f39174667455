package io.sluice.etl.pipeline.testing;

import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.pipeline.check.ExpectedTables;
import io.sluice.etl.pipeline.check.TableRows;
import org.bson.BsonDocument;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The ETL tests' check of the 15 tables against the user documents they must hold. */
public final class EtlTables {

    private EtlTables() {
    }

    /** Users {@code 1..n} as the generator with {@code seed} creates them. */
    public static Map<Long, BsonDocument> created(long seed, long n) {
        UserGenerator generator = new UserGenerator(seed);
        Map<Long, BsonDocument> live = new TreeMap<>();
        for (long id = 1; id <= n; id++) live.put(id, generator.user(id));
        return live;
    }

    /**
     * The tables of {@code schema} hold exactly the rows of the {@code live} documents: equal counts,
     * equal per-table checksums, and for a table whose checksum differs, the differing rows shown.
     */
    public static void assertHold(Connection c, String schema, Map<Long, BsonDocument> live) throws SQLException {
        TableRows expected = ExpectedTables.of(live.values());
        TableRows actual = TableRows.read(c, schema);
        assertThat(actual.counts()).isEqualTo(expected.counts());
        Map<String, String> actualSums = actual.checksums();
        Map<String, String> expectedSums = expected.checksums();
        for (String table : TableRows.TABLES) {
            if (!actualSums.get(table).equals(expectedSums.get(table))) {
                assertThat(actual.rows().get(table)).as(table).containsExactlyElementsOf(expected.rows().get(table));
            }
        }
        assertThat(actualSums).isEqualTo(expectedSums);
    }
}
