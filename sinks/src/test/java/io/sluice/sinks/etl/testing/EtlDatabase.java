package io.sluice.sinks.etl.testing;

import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.core.SinkMigrations;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.SinkWriter;
import io.sluice.stack.PostgresEndpoint;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A schema migrated as the ETL sink migrates it, and a way to run a writer on batches of records the
 * way the sink core does (one transaction per batch), without Kafka.
 */
public record EtlDatabase(PostgresEndpoint postgres, String schema) {

    public static EtlDatabase migrate(PostgresEndpoint postgres, String schema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(postgres.jdbcUrl());
        if (!postgres.user().isEmpty()) ds.setUser(postgres.user());
        if (!postgres.password().isEmpty()) ds.setPassword(postgres.password());
        SinkMigrations.migrate(ds, schema);
        return new EtlDatabase(postgres, schema);
    }

    /** Records of etl.user-rows, keyed by user id, at consecutive offsets of one partition. */
    public static List<SinkRecord<Long, UserRows>> records(List<UserRows> bundles) {
        List<SinkRecord<Long, UserRows>> records = new ArrayList<>(bundles.size());
        for (UserRows b : bundles) {
            records.add(new SinkRecord<>(TopicNames.ETL_USER_ROWS, 0, records.size(), 0L, b.getUserId(), b));
        }
        return records;
    }

    /** A tombstone for a user. */
    public static SinkRecord<Long, UserRows> tombstone(long userId) {
        return new SinkRecord<>(TopicNames.ETL_USER_ROWS, 0, 0, 0L, userId, null);
    }

    /** Writes {@code records} in batches of {@code batchSize}, each in one committed transaction. */
    public void writeInBatches(SinkWriter<Long, UserRows> writer, List<SinkRecord<Long, UserRows>> records, int batchSize)
            throws SQLException {
        try (Connection c = connect()) {
            for (int from = 0; from < records.size(); from += batchSize) {
                writer.write(c, records.subList(from, Math.min(from + batchSize, records.size())));
                c.commit();
            }
        }
    }

    /** A connection in a transaction (auto-commit off), as the sink's. */
    public Connection connect() throws SQLException {
        Connection c = postgres.connect();
        c.setAutoCommit(false);
        return c;
    }

    public EtlTableContents contents() throws SQLException {
        try (Connection c = postgres.connect()) {
            return EtlTableContents.read(c, schema);
        }
    }
}
