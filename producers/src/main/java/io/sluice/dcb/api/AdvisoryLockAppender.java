package io.sluice.dcb.api;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.dcb.query.QueryItem;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.EventData;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.TreeMap;

/**
 * The benchmark's strongest PostgreSQL-only store, go-crablet's design: instead of one table lock,
 * each append takes transaction-level advisory locks ({@code pg_advisory_xact_lock}) on hashes of
 * what it touches, so appends that cannot affect each other's conditions run in parallel. Consumes
 * commands, produces results and rows in {@code <schema>.events}, the same table as
 * {@link PostgresAppender}'s. Idempotency keys are not supported: the benchmark does not send them.
 *
 * <p>The locks, and why they suffice. Conditions take exclusive locks, events shared ones:
 * <ul>
 *   <li>a condition item with tags locks each of its tags; an event locks each of its tags (an event
 *       matching the item carries all of the item's tags, so the two share a key);</li>
 *   <li>a condition item with types but no tags locks each type; an event locks its type;</li>
 *   <li>a condition matching every event locks the key "all", which every append locks shared.</li>
 * </ul>
 * So an append whose condition an event of another append could match waits for that append's
 * commit (exclusive against shared) before it checks the condition, and checks it, at READ COMMITTED,
 * against everything committed before; appends whose events and conditions do not meet share no
 * exclusive lock and go on in parallel. Keys are 64-bit hashes (a collision only makes two appends
 * wait for each other), merged per key (exclusive wins) and taken in ascending order in one
 * statement, so two appends never wait for each other crosswise: no deadlocks.
 *
 * <p>Positions. The consistency check wants positions 1..N with no gaps, and a reader must never see
 * position n+1 before n (a condition {@code after: n+1} would otherwise pass over an event at n that
 * it never saw). So after the condition holds, one more exclusive lock, the position lock, is taken
 * with the next position (one function call, {@code <schema>.lock_next_position}, so its max() sees
 * the commits the lock waited for), held through the INSERT and the commit: positions are given in
 * commit order. Only that tail is serial; the lock waits and the condition checks are not.
 */
final class AdvisoryLockAppender implements Appender {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final HikariDataSource pool;
    private final String table;
    private final String nextPosition;
    private final String keyPrefix;

    AdvisoryLockAppender(HikariDataSource pool, String schema) {
        this.pool = pool;
        this.table = schema + ".events";
        this.nextPosition = schema + ".lock_next_position";
        // Advisory locks are per database: the schema in every key keeps two stores in one database apart.
        this.keyPrefix = schema + "\u0000";
    }

    /** Creates {@code <schema>.lock_next_position(key)}: takes the position lock, then reads the last position. */
    static void createFunctions(Statement st, String schema) throws SQLException {
        // VOLATILE plpgsql: each statement inside takes a new snapshot, so the max() runs after the lock
        // is granted and sees every append committed before it.
        st.execute("CREATE FUNCTION " + schema + ".lock_next_position(lock_key bigint) RETURNS bigint LANGUAGE plpgsql VOLATILE AS $$"
                + " BEGIN PERFORM pg_advisory_xact_lock(lock_key);"
                + " RETURN (SELECT coalesce(max(position), 0) FROM " + schema + ".events) + 1; END $$");
    }

    @Override
    public AppendResult append(AppendCommand command) throws JsonHandler.Unavailable {
        return BaselineSql.inTransaction(pool, c -> decide(c, command));
    }

    private AppendResult decide(Connection c, AppendCommand command) throws SQLException {
        lock(c, keys(command));
        AppendCondition condition = command.getCondition();
        if (condition != null && BaselineSql.matchExists(c, table, condition)) return BaselineSql.conditionFailed(command);
        long first;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + nextPosition + "(?)")) {
            ps.setLong(1, key("position"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                first = rs.getLong(1);
            }
        }
        return BaselineSql.insert(c, table, command, first);
    }

    /** The append's lock keys, ascending, each with whether it is exclusive (see the class comment). */
    TreeMap<Long, Boolean> keys(AppendCommand command) {
        TreeMap<Long, Boolean> keys = new TreeMap<>();
        keys.put(key("all"), false);
        for (EventData event : command.getEvents()) {
            keys.merge(key("type\u0000" + event.getType()), false, Boolean::logicalOr);
            for (String tag : event.getTags()) keys.merge(key("tag\u0000" + tag), false, Boolean::logicalOr);
        }
        AppendCondition condition = command.getCondition();
        if (condition == null) return keys;
        List<io.sluice.schemas.dcb.QueryItem> items = condition.getFailIfEventsMatch().getItems();
        if (items.isEmpty()) keys.put(key("all"), true);
        for (io.sluice.schemas.dcb.QueryItem item : items) {
            if (!item.getTags().isEmpty()) {
                for (String tag : item.getTags()) keys.put(key("tag\u0000" + tag), true);
            } else if (!item.getTypes().isEmpty()) {
                for (String type : item.getTypes()) keys.put(key("type\u0000" + type), true);
            } else {
                keys.put(key("all"), true);
            }
        }
        return keys;
    }

    /** Takes every lock in one round trip, in ascending key order (the array's order, kept by ORDINALITY). */
    private static void lock(Connection c, TreeMap<Long, Boolean> keys) throws SQLException {
        Long[] ids = keys.keySet().toArray(Long[]::new);
        Boolean[] exclusive = keys.values().toArray(Boolean[]::new);
        try (PreparedStatement ps = c.prepareStatement("SELECT count(CASE WHEN x THEN pg_advisory_xact_lock(k)::text"
                + " ELSE pg_advisory_xact_lock_shared(k)::text END) FROM (SELECT k, x FROM unnest(?::bigint[], ?::boolean[])"
                + " WITH ORDINALITY AS l(k, x, i) ORDER BY i) ordered")) {
            ps.setArray(1, c.createArrayOf("bigint", ids));
            ps.setArray(2, c.createArrayOf("boolean", exclusive));
            ps.executeQuery().close();
        }
    }

    /** FNV-1a over the schema and the name: stable across JVMs, cheap, 64 bits. */
    private long key(String name) {
        long hash = FNV_OFFSET;
        for (byte b : (keyPrefix + name).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= FNV_PRIME;
        }
        return hash;
    }

}
