package io.sluice.sinks.core;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/**
 * The sinks' schema migrations ({@code db/migration/V*.sql} on the classpath: {@code V1} is
 * {@code sluice_offsets}, the workloads add theirs), applied by Flyway with its default history table
 * {@code flyway_schema_history} in the given schema, which Flyway creates if missing (a schema that
 * already holds other tables is adopted at version 0, so all migrations run). Safe to run from
 * many instances at once: Flyway serializes them with a PostgreSQL advisory lock.
 */
public final class SinkMigrations {

    public static final String LOCATION = "classpath:db/migration";

    private SinkMigrations() {
    }

    public static MigrateResult migrate(DataSource dataSource, String schema) {
        return Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .defaultSchema(schema)
                .locations(LOCATION)
                // The schema may already hold other tables (a user's database, the writers' own tables):
                // adopt it at version 0, so that V1 and every later migration still run.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
