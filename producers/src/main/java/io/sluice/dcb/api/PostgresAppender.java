package io.sluice.dcb.api;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.ReadOptions;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.EventData;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The benchmark's baseline store, PostgreSQL alone, the way a DCB store without a decider does it:
 * one transaction per append that takes {@code LOCK TABLE events IN EXCLUSIVE MODE} (appends run
 * one at a time, reads go on), checks the condition with an EXISTS-style query
 * ({@link QuerySql}, positions after {@code after}), and INSERTs the events at the next positions.
 * Consumes commands, produces results and rows in {@code <schema>.events}. Idempotency keys are
 * not supported: the benchmark does not send them.
 */
final class PostgresAppender implements Appender {

    private final HikariDataSource pool;
    private final String table;

    PostgresAppender(HikariDataSource pool, String schema) {
        this.pool = pool;
        this.table = schema + ".events";
    }

    @Override
    public AppendResult append(AppendCommand command) throws JsonHandler.Unavailable {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                AppendResult result = decide(c, command);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JsonHandler.Unavailable("PostgreSQL failed: " + e.getMessage(), e);
        }
    }

    private AppendResult decide(Connection c, AppendCommand command) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
        }
        AppendCondition condition = command.getCondition();
        if (condition != null && matchExists(c, condition)) {
            return result(command, AppendOutcome.CONDITION_FAILED, null, null);
        }
        long last;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(position), 0) FROM " + table)) {
            rs.next();
            last = rs.getLong(1);
        }
        List<EventData> events = command.getEvents();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                + " (position, type, tags, data, appended_at) VALUES (?, ?, ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (int i = 0; i < events.size(); i++) {
                EventData event = events.get(i);
                insert.setLong(1, last + 1 + i);
                insert.setString(2, event.getType());
                insert.setArray(3, c.createArrayOf("text", event.getTags().toArray()));
                insert.setString(4, event.getData());
                insert.setObject(5, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return result(command, AppendOutcome.APPENDED, last + 1, last + events.size());
    }

    private boolean matchExists(Connection c, AppendCondition condition) throws SQLException {
        List<QueryItem> items = new ArrayList<>();
        for (io.sluice.schemas.dcb.QueryItem item : condition.getFailIfEventsMatch().getItems()) {
            items.add(QueryItem.of(item.getTypes(), item.getTags()));
        }
        long after = condition.getAfter() == null ? 0 : condition.getAfter();
        ReadOptions firstAfter = new ReadOptions(OptionalLong.of(after + 1), java.util.OptionalInt.of(1), false);
        QuerySql.Statement statement = QuerySql.select(table, new Query(items), firstAfter);
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            EventReader.bind(c, ps, statement.parameters());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static AppendResult result(AppendCommand command, AppendOutcome outcome, Long first, Long last) {
        return new AppendResult(command.getRequestId(), outcome, first, last, null, Instant.now());
    }
}
