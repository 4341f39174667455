package io.sluice.cli.etl;

import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.generate.UserUpdates;
import io.sluice.etl.pipeline.testing.EtlTables;
import io.sluice.testing.TestStack;
import org.bson.BsonDocument;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/** The ETL tests' shared checks: what a plan leaves in MongoDB, and whether the tables match it. */
final class EtlAssertions {

    private EtlAssertions() {
    }

    /** The collection after {@code plan}, from the generator alone: created, updated once, deleted. */
    static Map<Long, BsonDocument> finalDocuments(long seed, UserChangePlan plan) {
        UserGenerator generator = new UserGenerator(seed);
        UserUpdates updates = new UserUpdates(generator);
        Map<Long, BsonDocument> live = new TreeMap<>();
        for (long id = 1; id <= plan.users(); id++) live.put(id, generator.user(id));
        for (long id : plan.updatedIds()) live.put(id, updates.update(generator.user(id), 1));
        for (long id : plan.deletedIds()) live.remove(id);
        return live;
    }

    /** The tables of {@code schema} hold exactly the rows of the {@code live} documents (see {@link EtlTables#assertHold}). */
    static void assertTables(TestStack stack, String schema, Map<Long, BsonDocument> live) throws SQLException {
        try (Connection c = stack.connect()) {
            EtlTables.assertHold(c, schema, live);
        }
    }
}
