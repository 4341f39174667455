package io.sluice.sinks.core.testing;

import io.sluice.sinks.core.SinkWriter;
import io.sluice.stack.PostgresEndpoint;
import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * A test table {@code <schema>.<name>(id bigint primary key, payload text)} and its writer: plain INSERTs
 * without ON CONFLICT, so a duplicate fails instead of hiding. A payload starting with {@code reject}
 * violates a CHECK constraint: the writer's way of refusing a record.
 */
public record ItemsTable(PostgresEndpoint postgres, String schema, String name) {

    public static ItemsTable create(PostgresEndpoint postgres, String schema, String name) throws SQLException {
        try (Connection c = postgres.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
            st.execute("CREATE TABLE " + schema + "." + name + " (id bigint PRIMARY KEY,"
                    + " payload text NOT NULL CHECK (payload NOT LIKE 'reject%'))");
        }
        return new ItemsTable(postgres, schema, name);
    }

    /** Writes records keyed by a decimal id, unqualified: relies on the sink's search_path. */
    public SinkWriter<String, String> writer() {
        String sql = "INSERT INTO " + name + " (id, payload) VALUES (?, ?)";
        return (tx, batch) -> {
            try (PreparedStatement ps = tx.prepareStatement(sql)) {
                for (var r : batch) {
                    ps.setLong(1, Long.parseLong(r.key()));
                    ps.setString(2, r.value());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        };
    }

    public long count() throws SQLException {
        return queryLong("SELECT count(*) FROM " + schema + "." + name);
    }

    public long distinctIds() throws SQLException {
        return queryLong("SELECT count(DISTINCT id) FROM " + schema + "." + name);
    }

    /** {@code sluice_offsets} of a group, by partition. */
    public Map<TopicPartition, Long> storedOffsets(String groupId) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT topic, partition, next_offset FROM " + schema + ".sluice_offsets WHERE group_id = ?")) {
            ps.setString(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) stored.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
            }
        }
        return stored;
    }

    /** Ends the sink's backends; returns how many there were. */
    public int terminateBackends(String applicationName) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE application_name = ? AND pid <> pg_backend_pid()")) {
            ps.setString(1, applicationName);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection c = postgres.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
