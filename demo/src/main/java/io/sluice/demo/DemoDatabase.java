package io.sluice.demo;

import io.sluice.stack.PostgresEndpoint;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

/**
 * The database a demo run writes to, created empty for the run (so every row in it is the run's,
 * and counting rows checks the run), with one schema per workload, which its sink migrates. Counts
 * go through short-lived connections: the progress display asks a few times a second.
 */
public final class DemoDatabase {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final PostgresEndpoint server;
    private final PostgresEndpoint endpoint;

    private DemoDatabase(PostgresEndpoint server, PostgresEndpoint endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /** Creates database {@code name} on {@code server} (it must not exist). */
    public static DemoDatabase create(PostgresEndpoint server, String name) throws SQLException {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("not a plain database name: " + name);
        execute(server, "CREATE DATABASE " + name);
        return new DemoDatabase(server, server.withDatabase(name));
    }

    public PostgresEndpoint endpoint() {
        return endpoint;
    }

    /**
     * The single number {@code sql} selects in {@code schema}, or 0 while its table does not exist yet
     * (the sink creates it when it starts); a NULL (a sum over no rows) is 0 as well.
     */
    public long count(String schema, String sql) throws SQLException {
        if (!NAME.matcher(schema).matches()) throw new IllegalArgumentException("not a plain schema name: " + schema);
        try (Connection c = endpoint.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) return 0; // no table or schema yet
            throw e;
        }
    }

    /** Drops the database, closing what is still connected to it. */
    public void drop() throws SQLException {
        execute(server, "DROP DATABASE IF EXISTS " + endpoint.database() + " WITH (FORCE)");
    }

    private static void execute(PostgresEndpoint server, String sql) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
