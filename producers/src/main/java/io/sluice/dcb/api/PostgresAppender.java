package io.sluice.dcb.api;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.AppendResult;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
        return BaselineSql.inTransaction(pool, c -> decide(c, command));
    }

    private AppendResult decide(Connection c, AppendCommand command) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("LOCK TABLE " + table + " IN EXCLUSIVE MODE");
        }
        AppendCondition condition = command.getCondition();
        if (condition != null && BaselineSql.matchExists(c, table, condition)) return BaselineSql.conditionFailed(command);
        long last;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT coalesce(max(position), 0) FROM " + table)) {
            rs.next();
            last = rs.getLong(1);
        }
        return BaselineSql.insert(c, table, command, last + 1);
    }
}
