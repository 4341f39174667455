package io.sluice.sinks.etl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * Creates the 15 ETL tables in a schema of one's choice by running the sink's own migration text
 * ({@code V2__etl_tables.sql}), so the direct baseline's tables are the sink's, constraint for
 * constraint. The sink itself gets them from Flyway ({@link io.sluice.sinks.core.SinkMigrations}).
 */
public final class EtlSchema {

    /** The migration that creates the tables; its names are unqualified, resolved through search_path. */
    public static final String DDL_RESOURCE = "db/migration/V2__etl_tables.sql";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private EtlSchema() {
    }

    /**
     * Creates {@code schema} if needed and the tables in it, in one transaction; fails if a table exists.
     * Leaves the connection's auto-commit mode and search_path as they were.
     */
    public static void create(Connection connection, String schema) throws SQLException {
        requireIdentifier(schema);
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            // SET LOCAL: the unqualified DDL lands in the schema, and the setting ends with the transaction.
            st.execute("SET LOCAL search_path TO " + schema);
            st.execute(ddl());
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Drops {@code schema} and everything in it, then {@link #create}s it afresh. */
    public static void recreate(Connection connection, String schema) throws SQLException {
        requireIdentifier(schema);
        try (Statement st = connection.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        if (!connection.getAutoCommit()) connection.commit();
        create(connection, schema);
    }

    static String ddl() {
        try (InputStream in = EtlSchema.class.getClassLoader().getResourceAsStream(DDL_RESOURCE)) {
            if (in == null) throw new IllegalStateException(DDL_RESOURCE + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String requireIdentifier(String schema) {
        if (schema == null || !IDENTIFIER.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must match " + IDENTIFIER + " (it is used unquoted), got " + schema);
        }
        return schema;
    }
}
