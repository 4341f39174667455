package io.sluice.sinks.dcb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;

/**
 * Ties the {@code events} table to one dcb.events log, identified by Kafka's topic id (a new one
 * each time the topic is created). Consumes the topic's name and id; produces the row in
 * {@code dcb_event_log}. Guarantees that rows copied from one log are never mixed with another's:
 * positions restart at 1 in a recreated topic (a fresh embedded broker), and the sink's stored
 * offsets would point past its end. Called once before the sink starts.
 */
public final class EventLogGuard {

    private static final Logger log = LoggerFactory.getLogger(EventLogGuard.class);

    /** What to do when the table holds another log's events. */
    public enum OnOtherLog {
        /** Refuse to start: the operator decides (the usual case for an external broker). */
        FAIL,
        /** Empty the table and the sink's offsets, then adopt the new log (an embedded broker's log dies with it). */
        RESET
    }

    private EventLogGuard() {
    }

    /**
     * Records {@code topicId} as the log of {@code topic}, or checks that it already is.
     *
     * @param c           a connection in the schema the sink writes to, auto-commit off
     * @param sinkGroupId the events sink's consumer group, whose stored offsets a reset removes
     * @throws IllegalStateException when the table holds another log's events and {@code onOther} is FAIL
     */
    public static void adopt(Connection c, String topic, String topicId, String sinkGroupId, OnOtherLog onOther)
            throws SQLException {
        Objects.requireNonNull(onOther, "onOther");
        try {
            String stored = storedTopicId(c, topic);
            if (stored == null) {
                update(c, "INSERT INTO dcb_event_log (topic_id, topic) VALUES (?, ?) ON CONFLICT (topic) DO NOTHING", topicId, topic);
            } else if (!stored.equals(topicId)) {
                if (onOther == OnOtherLog.FAIL) {
                    throw new IllegalStateException("the events table holds events of another " + topic + " log (topic id "
                            + stored + ", the broker's is " + topicId + "); point sluice at the PostgreSQL database of this"
                            + " log, or empty the events table and dcb_event_log to copy the new log into it");
                }
                log.warn("the events table holds events of another {} log (topic id {}, now {}): emptying it", topic, stored, topicId);
                try (Statement st = c.createStatement()) {
                    st.execute("TRUNCATE events");
                }
                update(c, "DELETE FROM sluice_offsets WHERE group_id = ? AND topic = ?", sinkGroupId, topic);
                update(c, "UPDATE dcb_event_log SET topic_id = ?, adopted_at = now() WHERE topic = ?", topicId, topic);
            }
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        }
    }

    private static String storedTopicId(Connection c, String topic) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT topic_id FROM dcb_event_log WHERE topic = ? FOR UPDATE")) {
            ps.setString(1, topic);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void update(Connection c, String sql, String first, String second) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, first);
            ps.setString(2, second);
            ps.executeUpdate();
        }
    }
}
