package io.sluice.cli.ops;

import io.sluice.cli.ConnectionOptions;
import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.stack.PostgresEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.util.Optional;

/**
 * The clients of the operations commands, from the shared {@link ConnectionOptions}: an admin client
 * (bootstrap required) and the sinks' PostgreSQL (optional: without it the sinks' stored offsets are
 * not seen).
 */
final class OpsOptions {

    private OpsOptions() {
    }

    /** An admin client, after {@link ClusterCheck} showed the cluster answers to these settings. */
    static Admin admin(ConnectionOptions connection) {
        ConnectionSettings settings = connection.kafka();
        ClusterCheck.verify(settings);
        return Admin.create(settings.admin());
    }

    static Optional<DataSource> postgres(ConnectionOptions connection) {
        return connection.postgresIfGiven().map(OpsOptions::dataSource);
    }

    private static DataSource dataSource(PostgresEndpoint pg) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl());
        if (!pg.user().isEmpty()) ds.setUser(pg.user());
        if (!pg.password().isEmpty()) ds.setPassword(pg.password());
        ds.setApplicationName("sluice-ops");
        return ds;
    }
}
