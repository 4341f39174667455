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
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What the PostgreSQL-only baseline designs ({@link PostgresAppender}, {@link AdvisoryLockAppender})
 * share, so that they differ only in how they serialize appends: one transaction per append, the
 * condition checked with the read path's SQL ({@link QuerySql}, positions after {@code after}), the
 * events inserted at consecutive positions.
 */
final class BaselineSql {

    /** One append's work inside its transaction. */
    interface Decision {
        AppendResult decide(Connection c) throws SQLException;
    }

    private BaselineSql() {
    }

    /** Runs {@code decision} in a transaction of its own: committed when it returns, rolled back when it throws. */
    static AppendResult inTransaction(HikariDataSource pool, Decision decision) throws JsonHandler.Unavailable {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                AppendResult result = decision.decide(c);
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

    /** Whether an event in {@code table} after the condition's {@code after} matches its query. */
    static boolean matchExists(Connection c, String table, AppendCondition condition) throws SQLException {
        List<QueryItem> items = new ArrayList<>();
        for (io.sluice.schemas.dcb.QueryItem item : condition.getFailIfEventsMatch().getItems()) {
            items.add(QueryItem.of(item.getTypes(), item.getTags()));
        }
        long after = condition.getAfter() == null ? 0 : condition.getAfter();
        ReadOptions firstAfter = new ReadOptions(OptionalLong.of(after + 1), OptionalInt.of(1), false);
        QuerySql.Statement statement = QuerySql.select(table, new Query(items), firstAfter);
        try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
            EventReader.bind(c, ps, statement.parameters());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Inserts the command's events at {@code first}, {@code first + 1}, ...; answers APPENDED with their range. */
    static AppendResult insert(Connection c, String table, AppendCommand command, long first) throws SQLException {
        List<EventData> events = command.getEvents();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + table
                + " (position, type, tags, data, appended_at) VALUES (?, ?, ?, ?, ?)")) {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            for (int i = 0; i < events.size(); i++) {
                EventData event = events.get(i);
                insert.setLong(1, first + i);
                insert.setString(2, event.getType());
                insert.setArray(3, c.createArrayOf("text", event.getTags().toArray()));
                insert.setString(4, event.getData());
                insert.setObject(5, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return result(command, AppendOutcome.APPENDED, first, first + events.size() - 1);
    }

    static AppendResult conditionFailed(AppendCommand command) {
        return result(command, AppendOutcome.CONDITION_FAILED, null, null);
    }

    private static AppendResult result(AppendCommand command, AppendOutcome outcome, Long first, Long last) {
        return new AppendResult(command.getRequestId(), outcome, first, last, null, Instant.now());
    }
}
