package io.sluice.dcb.api;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.ReadOptions;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

/**
 * Reads events from the events sink's {@code events} table in PostgreSQL: consumes a query and
 * read options, produces the matching rows in position order (reversed when backwards) through a
 * {@link Cursor}, {@value #FETCH_SIZE} rows per round trip, so a read holds a bounded number of
 * rows in memory however many it returns. What it sees is whatever the sink has committed;
 * {@link ReadFence} makes the caller wait until that includes every acknowledged append first.
 * Thread-safe; owns a small connection pool.
 */
public final class EventReader implements AutoCloseable {

    /** One event as a read returns it. */
    public record Row(long position, String type, List<String> tags, String data) {
    }

    /**
     * Rows per round trip. Rows hold up to a request body each (about 1 MiB), so this bounds a
     * read's rows in memory to a few MiB typically and 64 MiB at worst.
     */
    static final int FETCH_SIZE = 64;

    /**
     * An open read: the rows of one statement, fetched as they are asked for. PostgreSQL keeps a
     * cursor only inside a transaction, so the connection is taken out of auto-commit (read-only)
     * until {@link #close}, which ends the transaction and returns the connection.
     */
    public static final class Cursor implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement statement;
        private final ResultSet rows;

        private Cursor(Connection connection, PreparedStatement statement, ResultSet rows) {
            this.connection = connection;
            this.statement = statement;
            this.rows = rows;
        }

        /** The next row, or null after the last. */
        public Row next() throws SQLException {
            if (!rows.next()) return null;
            Array tags = rows.getArray(3);
            try {
                return new Row(rows.getLong(1), rows.getString(2), Arrays.asList((String[]) tags.getArray()), rows.getString(4));
            } finally {
                tags.free();
            }
        }

        @Override
        public void close() {
            try (connection) {
                try (statement; rows) {
                    // closed before the transaction ends
                }
                connection.rollback();
            } catch (SQLException e) {
                // Hikari discards a connection whose use failed; nothing was written to keep.
            }
        }
    }

    private final HikariDataSource pool;
    private final String table;
    private final int queryTimeoutSeconds;

    public EventReader(DcbApiConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sluice-dcb-api-reads");
        hc.setJdbcUrl(config.jdbcUrl());
        if (!config.dbUser().isEmpty()) hc.setUsername(config.dbUser());
        if (!config.dbPassword().isEmpty()) hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(config.readPoolSize());
        hc.setReadOnly(true);
        // a cursor (fetch size) needs a transaction; reads only, so it is rolled back when done
        hc.setAutoCommit(false);
        hc.setConnectionTimeout(Math.max(250, config.readTimeout().toMillis()));
        // Connect lazily: PostgreSQL being down is a failed read, not a failed start.
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("ApplicationName", "sluice-dcb-api");
        this.pool = new HikariDataSource(hc);
        this.table = config.schema() + ".events";
        this.queryTimeoutSeconds = (int) Math.max(1, config.readTimeout().toSeconds());
    }

    /**
     * Runs the read and returns its cursor, positioned before the first row: a failure to connect or
     * to run the statement is thrown here, before the caller has answered anything.
     */
    public Cursor open(Query query, ReadOptions options) throws SQLException {
        QuerySql.Statement statement = QuerySql.select(table, query, options);
        Connection c = pool.getConnection();
        PreparedStatement ps = null;
        try {
            ps = c.prepareStatement(statement.sql());
            ps.setQueryTimeout(queryTimeoutSeconds);
            ps.setFetchSize(FETCH_SIZE);
            bind(c, ps, statement.parameters());
            return new Cursor(c, ps, ps.executeQuery());
        } catch (SQLException | RuntimeException e) {
            try (c) {
                if (ps != null) ps.close();
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    static void bind(Connection c, PreparedStatement ps, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            switch (value) {
                case String[] strings -> ps.setArray(i + 1, c.createArrayOf("text", strings));
                case Long l -> ps.setLong(i + 1, l);
                case Integer n -> ps.setInt(i + 1, n);
                default -> throw new IllegalStateException("QuerySql produced a parameter of type " + value.getClass());
            }
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
