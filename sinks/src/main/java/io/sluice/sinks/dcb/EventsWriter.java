package io.sluice.sinks.dcb;

import io.sluice.schemas.dcb.Event;
import io.sluice.sinks.core.SinkRecord;
import io.sluice.sinks.core.SinkWriter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes dcb.events records (key: the position, value: the {@link Event}) as rows of the
 * {@code events} table, and announces the highest position written with
 * {@code pg_notify(channel, position)} in the same transaction. PostgreSQL delivers a notification
 * only when its transaction commits, in commit order, so a listener that sees position P knows
 * every event up to P is readable: the DCB API's read fence waits for that instead of polling.
 *
 * <p>A position already in the table with the very same event is skipped: that is a replay
 * ({@code sluice replay} moved the sink's stored offsets back), and rewriting a fact with itself
 * changes nothing. A position already holding a different event is refused as a unique violation and
 * dead-lettered, loudly, instead of being silently dropped or overwritten. A record without a value,
 * or whose key is not its position, is the record's fault and dead-lettered too.
 */
public final class EventsWriter implements SinkWriter<Long, Event> {

    private static final Pattern CHANNEL = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String INSERT =
            "INSERT INTO events (position, type, tags, data, appended_at) VALUES (?, ?, ?, ?, ?)";
    private static final String NOTIFY = "SELECT pg_notify(?, ?)";
    private static final String EXISTING =
            "SELECT position, type, tags, data, appended_at FROM events WHERE position = ANY (?)";

    /** An event as its row holds it, to tell a replayed event from a different one at the same position. */
    private record Row(String type, List<String> tags, String data, Instant appendedAt) {
        static Row of(Event e) {
            // timestamptz keeps microseconds
            return new Row(e.getType(), List.copyOf(e.getTags()), e.getData(), e.getAppendedAt().truncatedTo(ChronoUnit.MICROS));
        }
    }

    private final String channel;

    /** @param channel the LISTEN/NOTIFY channel, a lower-case identifier */
    public EventsWriter(String channel) {
        if (channel == null || !CHANNEL.matcher(channel).matches()) {
            throw new IllegalArgumentException("channel must match " + CHANNEL + ", got " + channel);
        }
        this.channel = channel;
    }

    @Override
    public void write(Connection tx, List<SinkRecord<Long, Event>> batch) throws SQLException {
        long highest = 0;
        Map<Long, Row> existing = existing(tx, batch);
        try (PreparedStatement insert = tx.prepareStatement(INSERT)) {
            for (SinkRecord<Long, Event> record : batch) {
                Event event = check(record);
                highest = Math.max(highest, event.getPosition());
                Row stored = existing.get(event.getPosition());
                if (stored != null) {
                    if (stored.equals(Row.of(event))) continue; // replayed
                    throw new SQLException("dcb.events record " + where(record) + " holds position " + event.getPosition()
                            + ", which the events table already holds with a different event", "23505");
                }
                insert.setLong(1, event.getPosition());
                insert.setString(2, event.getType());
                insert.setArray(3, tx.createArrayOf("text", event.getTags().toArray()));
                insert.setString(4, event.getData());
                insert.setObject(5, OffsetDateTime.ofInstant(event.getAppendedAt(), ZoneOffset.UTC));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        if (highest == 0) return;
        try (PreparedStatement notify = tx.prepareStatement(NOTIFY)) {
            notify.setString(1, channel);
            notify.setString(2, Long.toString(highest));
            notify.execute();
        }
    }

    private static Map<Long, Row> existing(Connection tx, List<SinkRecord<Long, Event>> batch) throws SQLException {
        Map<Long, Row> rows = new HashMap<>();
        Long[] positions = batch.stream().filter(r -> r.value() != null).map(r -> r.value().getPosition()).toArray(Long[]::new);
        if (positions.length == 0) return rows;
        try (PreparedStatement ps = tx.prepareStatement(EXISTING)) {
            ps.setArray(1, tx.createArrayOf("bigint", positions));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), new Row(rs.getString(2), List.of((String[]) rs.getArray(3).getArray()),
                            rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return rows;
    }

    private static Event check(SinkRecord<Long, Event> record) {
        Event event = record.value();
        if (event == null) {
            throw new IllegalArgumentException("dcb.events record " + where(record) + " has no value: the log has no deletions");
        }
        if (record.key() != null && record.key() != event.getPosition()) {
            throw new IllegalArgumentException("dcb.events record " + where(record) + " is keyed " + record.key()
                    + " but holds position " + event.getPosition());
        }
        return event;
    }

    private static String where(SinkRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
