package io.sluice.backfill.fetch;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * {@link StoredRepos} read from the records sink's {@code backfill_stored} table, one indexed lookup per
 * task. PostgreSQL down or the table missing (a sink that predates it) is logged and answered empty: the
 * repository is downloaded, as before.
 */
final class PostgresStoredRepos implements StoredRepos {

    private static final Logger log = LoggerFactory.getLogger(PostgresStoredRepos.class);
    private final HikariDataSource pool;
    private final String lookup;

    PostgresStoredRepos(FetcherConfig.StoredDatabase db, int connections) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("sluice-fetcher-stored");
        hc.setJdbcUrl(db.jdbcUrl());
        if (!db.user().isEmpty()) hc.setUsername(db.user());
        if (!db.password().isEmpty()) hc.setPassword(db.password());
        hc.setMaximumPoolSize(connections);
        hc.setReadOnly(true);
        hc.setConnectionTimeout(2_000);
        // Connect lazily: PostgreSQL being down means downloads, not a failed start.
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("ApplicationName", "sluice-fetcher");
        this.pool = new HikariDataSource(hc);
        this.lookup = "SELECT rev, records, bytes FROM \"" + db.schema() + "\".backfill_stored WHERE did = ?";
    }

    @Override
    public Optional<Stored> lookup(String did) {
        try (Connection c = pool.getConnection(); PreparedStatement st = c.prepareStatement(lookup)) {
            st.setQueryTimeout(5);
            st.setString(1, did);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Stored(rs.getString(1), rs.getLong(2), rs.getLong(3))) : Optional.empty();
            }
        } catch (SQLException e) {
            log.warn("cannot read the stored revision of {}, downloading it: {}", did, e.toString());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
