package io.sluice.stack.postgres;

import io.sluice.common.redact.Redaction;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Finds the PostgreSQL server to use, in this order: {@code SLUICE_PG_URL}; a server on
 * 127.0.0.1:5432; a throwaway cluster from the machine's PostgreSQL binaries. Fails with a message
 * that says how to provide one when none of these works.
 */
public final class PostgresLocator {

    public static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";

    private PostgresLocator() {
    }

    /** A reachable server, and the throwaway cluster to stop at close if one had to be started. */
    public record Located(PostgresEndpoint endpoint, Optional<ThrowawayPostgresCluster> cluster) {
    }

    public static Located locate(Optional<String> configuredUrl, Consumer<String> progress) {
        if (configuredUrl.isPresent()) {
            PostgresEndpoint endpoint = PostgresUrls.parse(configuredUrl.get());
            try {
                check(endpoint);
            } catch (SQLException e) {
                throw new StackException("cannot connect to SLUICE_PG_URL " + Redaction.url(endpoint.jdbcUrl()) + ": " + Redaction.text(e.getMessage()), e);
            }
            return new Located(endpoint, Optional.empty());
        }
        PostgresEndpoint local = new PostgresEndpoint(LOCAL_URL, PostgresUrls.defaultUser(), "");
        try {
            check(local);
            progress.accept("using PostgreSQL at 127.0.0.1:5432");
            return new Located(local, Optional.empty());
        } catch (SQLException e) {
            progress.accept("no PostgreSQL at 127.0.0.1:5432 (" + e.getMessage() + "); starting a throwaway cluster");
        }
        Optional<ThrowawayPostgresCluster> cluster = ThrowawayPostgresCluster.startIfInstalled(progress);
        if (cluster.isEmpty()) {
            throw new StackException("no PostgreSQL found: nothing answers on 127.0.0.1:5432 and no initdb/pg_ctl on PATH "
                    + "or under /usr/lib/postgresql/*/bin. Install PostgreSQL (apt-get install postgresql), start one on "
                    + "127.0.0.1:5432 with trust auth, or set SLUICE_PG_URL=jdbc:postgresql://host:5432/db?user=u&password=p");
        }
        return new Located(cluster.get().endpoint(), cluster);
    }

    /** Returns when a connection to {@code endpoint} opens within a few seconds. */
    public static void check(PostgresEndpoint endpoint) throws SQLException {
        Properties props = new Properties();
        if (!endpoint.user().isEmpty()) props.setProperty("user", endpoint.user());
        if (!endpoint.password().isEmpty()) props.setProperty("password", endpoint.password());
        props.setProperty("connectTimeout", "3");
        try (Connection c = DriverManager.getConnection(endpoint.jdbcUrl(), props)) {
            c.isValid(3);
        }
    }
}
