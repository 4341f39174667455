package io.sluice.sinks.core.internals;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.sinks.core.SinkConfig;

/** The sink's HikariCP pool: transactions (auto-commit off), named backends, the configured schema. */
public final class SinkDataSources {

    private SinkDataSources() {
    }

    public static HikariDataSource create(SinkConfig config) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sluice-" + config.stage());
        hc.setJdbcUrl(config.jdbcUrl());
        if (!config.dbUser().isEmpty()) hc.setUsername(config.dbUser());
        if (!config.dbPassword().isEmpty()) hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setAutoCommit(false);
        // Bounded, so an unreachable server becomes a retried failure instead of a hung loop.
        hc.setConnectionTimeout(10_000);
        // Do not connect while constructing: PostgreSQL being down is retried by the loop, not a start failure.
        hc.setInitializationFailTimeout(-1);
        // So operators (and the outage test) find the sink's backends in pg_stat_activity.
        hc.addDataSourceProperty("ApplicationName", config.applicationName());
        // search_path at connection start-up: writers' unqualified names resolve where Flyway migrated.
        hc.addDataSourceProperty("currentSchema", config.schema());
        // Lets writers' JDBC batches of INSERTs travel as multi-row statements.
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("tcpKeepAlive", "true");
        return new HikariDataSource(hc);
    }
}
