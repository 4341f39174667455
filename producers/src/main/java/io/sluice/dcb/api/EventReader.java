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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads events from the events sink's {@code events} table in PostgreSQL: consumes a query and
 * read options, produces the matching rows in position order (reversed when backwards). What it
 * sees is whatever the sink has committed; {@link ReadFence} makes the caller wait until that
 * includes every acknowledged append first. Thread-safe; owns a small connection pool.
 */
public final class EventReader implements AutoCloseable {

    /** One event as a read returns it. */
    public record Row(long position, String type, List<String> tags, String data) {
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
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(Math.max(250, config.readTimeout().toMillis()));
        // Connect lazily: PostgreSQL being down is a failed read, not a failed start.
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("ApplicationName", "sluice-dcb-api");
        this.pool = new HikariDataSource(hc);
        this.table = config.schema() + ".events";
        this.queryTimeoutSeconds = (int) Math.max(1, config.readTimeout().toSeconds());
    }

    public List<Row> read(Query query, ReadOptions options) throws SQLException {
        QuerySql.Statement statement = QuerySql.select(table, query, options);
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(statement.sql())) {
            ps.setQueryTimeout(queryTimeoutSeconds);
            bind(c, ps, statement.parameters());
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array tags = rs.getArray(3);
                    rows.add(new Row(rs.getLong(1), rs.getString(2), Arrays.asList((String[]) tags.getArray()), rs.getString(4)));
                    tags.free();
                }
            }
            return rows;
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
