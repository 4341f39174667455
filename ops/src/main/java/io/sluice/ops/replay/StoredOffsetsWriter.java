package io.sluice.ops.replay;

import io.sluice.ops.lag.SinkOffsets;
import io.sluice.ops.replay.ReplayPlan.Move;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves a sink group's {@code sluice_offsets} rows, in every schema that has rows of the group, in one
 * transaction: either every stored offset moves or none does. A partition without a row gets one
 * (the sink would otherwise start it from the log start, not from the target).
 */
final class StoredOffsetsWriter {

    private final DataSource dataSource;

    StoredOffsetsWriter(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return the schemas written */
    List<String> write(String groupId, List<Move> moves) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<String> schemas = new ArrayList<>();
                for (String schema : SinkOffsets.schemas(c)) {
                    if (hasRows(c, schema, groupId)) schemas.add(schema);
                }
                for (String schema : schemas) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + SinkOffsets.table(schema)
                            + " (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (group_id, topic, partition)"
                            + " DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()")) {
                        for (Move m : moves) {
                            ps.setString(1, groupId);
                            ps.setString(2, m.topic());
                            ps.setInt(3, m.partition());
                            ps.setLong(4, m.target());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                }
                c.commit();
                return schemas;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private static boolean hasRows(Connection c, String schema, String groupId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + SinkOffsets.table(schema) + " WHERE group_id = ? LIMIT 1")) {
            ps.setString(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
