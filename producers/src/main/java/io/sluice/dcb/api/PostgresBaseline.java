package io.sluice.dcb.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's honest baseline: the same HTTP layer ({@link DcbHttpServer}, {@link AppendHandler},
 * {@link ReadHandler}) over PostgreSQL alone ({@link PostgresAppender}: a table lock per append),
 * with the same {@code events} table and indexes as the events sink's, in a schema of its own that
 * {@link #start} empties first. Reads need no fence: an append is readable once it is answered.
 */
public final class PostgresBaseline implements AutoCloseable {

    public static final String NAME = "postgres-lock-table";

    private final HikariDataSource pool;
    private final EventReader reader;
    private final DcbHttpServer server;
    private final String host;

    private PostgresBaseline(HikariDataSource pool, EventReader reader, DcbHttpServer server, String host) {
        this.pool = pool;
        this.reader = reader;
        this.server = server;
        this.host = host;
    }

    /** Recreates {@code config.schema()} with an empty events table and serves it on {@code config.port()}. */
    public static PostgresBaseline start(DcbApiConfig config, int poolSize) throws SQLException {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sluice-dcb-baseline");
        hc.setJdbcUrl(config.jdbcUrl());
        if (!config.dbUser().isEmpty()) hc.setUsername(config.dbUser());
        if (!config.dbPassword().isEmpty()) hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(poolSize);
        hc.addDataSourceProperty("ApplicationName", "sluice-dcb-baseline");
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        HikariDataSource pool = new HikariDataSource(hc);
        try {
            createTable(pool, config.schema());
            EventReader reader = new EventReader(config);
            DcbHttpServer server = DcbHttpServer.start(config.host(), config.port(),
                    new AppendHandler(new PostgresAppender(pool, config.schema()), config.limits()),
                    new ReadHandler(new ReadFence(), reader, config.readTimeout(), config.limits()), java.util.Map.of(), config.auth());
            return new PostgresBaseline(pool, reader, server, config.host());
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void createTable(HikariDataSource pool, String schema) throws SQLException {
        try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            st.execute("CREATE SCHEMA " + schema);
            // The events sink's table (V4__dcb_events.sql), so both stores index and read alike.
            st.execute("CREATE TABLE " + schema + ".events (position bigint PRIMARY KEY, type text NOT NULL,"
                    + " tags text[] NOT NULL DEFAULT '{}', data text NOT NULL, appended_at timestamptz NOT NULL)");
            st.execute("CREATE INDEX ON " + schema + ".events USING gin (tags)");
            st.execute("CREATE INDEX ON " + schema + ".events (type, position)");
        }
    }

    public URI baseUri() {
        return URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + server.port());
    }

    @Override
    public void close() {
        server.close();
        reader.close();
        pool.close();
    }
}
