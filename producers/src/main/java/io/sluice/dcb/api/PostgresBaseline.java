package io.sluice.dcb.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The benchmark's honest baselines: the same HTTP layer ({@link DcbHttpServer}, {@link AppendHandler},
 * {@link ReadHandler}) over PostgreSQL alone, in one of two {@link Design}s, with the same
 * {@code events} table and indexes as the events sink's, in a schema of its own that {@link #start}
 * empties first. Reads need no fence: an append is readable once it is answered.
 */
public final class PostgresBaseline implements AutoCloseable {

    /** How appends are kept consistent without a decider. */
    public enum Design {
        /** {@link PostgresAppender}: one table lock per append, appends one at a time. */
        TABLE_LOCK("postgres-lock-table"),
        /** {@link AdvisoryLockAppender}: go-crablet's advisory locks by tag and type, non-conflicting appends in parallel. */
        ADVISORY_LOCKS("postgres-advisory-locks");

        private final String label;

        Design(String label) {
            this.label = label;
        }

        /** The name the benchmark prints for this baseline. */
        public String label() {
            return label;
        }
    }

    /** The table-lock design's name, as the benchmark has always printed it. */
    public static final String NAME = Design.TABLE_LOCK.label();

    private final HikariDataSource pool;
    private final EventReader reader;
    private final DcbHttpServer server;
    private final ReadWriters writers;
    private final String host;

    private PostgresBaseline(HikariDataSource pool, EventReader reader, DcbHttpServer server, ReadWriters writers, String host) {
        this.pool = pool;
        this.reader = reader;
        this.server = server;
        this.writers = writers;
        this.host = host;
    }

    /** The table-lock design; see {@link #start(DcbApiConfig, int, Design)}. */
    public static PostgresBaseline start(DcbApiConfig config, int poolSize) throws SQLException {
        return start(config, poolSize, Design.TABLE_LOCK);
    }

    /** Recreates {@code config.schema()} with an empty events table and serves it on {@code config.port()}. */
    public static PostgresBaseline start(DcbApiConfig config, int poolSize, Design design) throws SQLException {
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
            Appender appender = switch (design) {
                case TABLE_LOCK -> new PostgresAppender(pool, config.schema());
                case ADVISORY_LOCKS -> new AdvisoryLockAppender(pool, config.schema());
            };
            EventReader reader = new EventReader(config);
            ReadWriters writers = new ReadWriters(ReadWriters.defaultTurns());
            DcbHttpServer server = DcbHttpServer.start(config.host(), config.port(),
                    new AppendHandler(appender, config.limits()),
                    new ReadHandler(new ReadFence(), reader, config.readTimeout(), config.limits(), writers), java.util.Map.of(),
                    config.auth());
            return new PostgresBaseline(pool, reader, server, writers, config.host());
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
            AdvisoryLockAppender.createFunctions(st, schema);
        }
    }

    public URI baseUri() {
        return URI.create("http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + server.port());
    }

    @Override
    public void close() {
        server.close();
        writers.close();
        reader.close();
        pool.close();
    }
}
