package io.sluice.ops.lag;

import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The sinks' stored offsets: the {@code sluice_offsets} rows of every schema of the database that has
 * that table (each sink keeps it in its own schema, see {@code SinkConfig.schema}). A group's rows are
 * where its sink resumes, so they are its true committed offsets. If one group has rows in several
 * schemas (a sink moved to another schema), the most recently updated row of each partition wins.
 */
public final class SinkOffsets {

    private static final String SCHEMAS = "SELECT table_schema FROM information_schema.tables"
            + " WHERE table_name = 'sluice_offsets' ORDER BY table_schema";

    private final DataSource dataSource;

    public SinkOffsets(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The schemas that hold a {@code sluice_offsets} table. */
    public static List<String> schemas(Connection c) throws SQLException {
        List<String> schemas = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SCHEMAS); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) schemas.add(rs.getString(1));
        }
        return schemas;
    }

    /** {@code "schema".sluice_offsets}, quoted: schema names come from the catalogue, not from us. */
    public static String table(String schema) {
        return "\"" + schema.replace("\"", "\"\"") + "\".sluice_offsets";
    }

    /** Every group with stored offsets. */
    public List<String> groups() throws SQLException {
        List<String> groups = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            for (String schema : schemas(c)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT group_id FROM " + table(schema));
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) if (!groups.contains(rs.getString(1))) groups.add(rs.getString(1));
                }
            }
        }
        return groups;
    }

    /** The stored next offsets of these groups; a group without rows has no entry. */
    public Map<String, Map<TopicPartition, Long>> read(Collection<String> groupIds) throws SQLException {
        record Row(long next, Timestamp updated) {
        }
        Map<String, Map<TopicPartition, Row>> rows = new HashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String schema : schemas(c)) {
                try (PreparedStatement ps = c.prepareStatement("SELECT group_id, topic, partition, next_offset, updated_at FROM "
                        + table(schema) + " WHERE group_id = ANY (?)")) {
                    ps.setArray(1, c.createArrayOf("text", groupIds.toArray()));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Row row = new Row(rs.getLong(4), rs.getTimestamp(5));
                            rows.computeIfAbsent(rs.getString(1), g -> new HashMap<>())
                                    .merge(new TopicPartition(rs.getString(2), rs.getInt(3)), row,
                                            (a, b) -> a.updated().after(b.updated()) ? a : b);
                        }
                    }
                }
            }
        }
        Map<String, Map<TopicPartition, Long>> out = new HashMap<>();
        rows.forEach((group, byPartition) -> {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            byPartition.forEach((tp, row) -> offsets.put(tp, row.next()));
            out.put(group, offsets);
        });
        return out;
    }
}
