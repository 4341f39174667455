package io.sluice.sinks.core.internals;

import org.apache.kafka.common.TopicPartition;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sluice_offsets} rows of one consumer group: the next offset to read per partition, the
 * source of truth a sink resumes from. All methods run inside the caller's transaction.
 */
public final class OffsetStore {

    /** Locks in one global order, so two instances fencing the same partitions cannot deadlock. */
    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final String groupId;
    private final String selectAll;
    private final String insertMissing;
    private final String selectForUpdate;
    private final String update;

    public OffsetStore(String schema, String groupId) {
        this.groupId = groupId;
        String table = schema + ".sluice_offsets";
        this.selectAll = "SELECT topic, partition, next_offset FROM " + table + " WHERE group_id = ?";
        this.insertMissing = "INSERT INTO " + table + " (group_id, topic, partition, next_offset) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (group_id, topic, partition) DO NOTHING";
        this.selectForUpdate = "SELECT next_offset FROM " + table
                + " WHERE group_id = ? AND topic = ? AND partition = ? FOR UPDATE";
        this.update = "UPDATE " + table + " SET next_offset = ?, updated_at = now()"
                + " WHERE group_id = ? AND topic = ? AND partition = ?";
    }

    /** The stored next offsets of the given partitions; a partition never written has no entry. */
    public Map<TopicPartition, Long> read(Connection c, Collection<TopicPartition> partitions) throws SQLException {
        Map<TopicPartition, Long> stored = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(selectAll)) {
            ps.setString(1, groupId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    TopicPartition tp = new TopicPartition(rs.getString(1), rs.getInt(2));
                    if (partitions.contains(tp)) stored.put(tp, rs.getLong(3));
                }
            }
        }
        return stored;
    }

    /**
     * Locks the partitions' rows until the transaction ends and returns those another instance has
     * already advanced past the batch's first offset (this instance is a zombie for them). A missing row
     * is inserted first so that there is a row to lock: a concurrent first writer then waits on it. A
     * stored offset below the first offset is fine: offsets have gaps (transaction markers, compaction).
     */
    public Set<TopicPartition> lockAndFence(Connection c, Map<TopicPartition, Long> firstOffsets) throws SQLException {
        List<TopicPartition> ordered = firstOffsets.keySet().stream().sorted(ORDER).toList();
        try (PreparedStatement ps = c.prepareStatement(insertMissing)) {
            for (TopicPartition tp : ordered) {
                bindKey(ps, 1, tp);
                ps.setLong(4, firstOffsets.get(tp));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        Set<TopicPartition> fenced = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(selectForUpdate)) {
            for (TopicPartition tp : ordered) {
                bindKey(ps, 1, tp);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) throw new SQLException("sluice_offsets row deleted concurrently for " + tp, "40001");
                    if (rs.getLong(1) > firstOffsets.get(tp)) fenced.add(tp);
                }
            }
        }
        return fenced;
    }

    /** Records the batch's next offsets; the rows exist and are locked by {@link #lockAndFence}. */
    public void store(Connection c, Map<TopicPartition, Long> nextOffsets) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(update)) {
            for (TopicPartition tp : nextOffsets.keySet().stream().sorted(ORDER).toList()) {
                ps.setLong(1, nextOffsets.get(tp));
                bindKey(ps, 2, tp);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void bindKey(PreparedStatement ps, int first, TopicPartition tp) throws SQLException {
        ps.setString(first, groupId);
        ps.setString(first + 1, tp.topic());
        ps.setInt(first + 2, tp.partition());
    }
}
