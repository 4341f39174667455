package io.sluice.sinks.core.testing;

import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.postgres.PostgresLocator;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * A database of its own on the PostgreSQL the other ITs use ({@code SLUICE_PG_URL} or 127.0.0.1:5432),
 * for jqwik properties: jqwik runs outside JUnit Jupiter, so {@code @WithSluiceStack} does not reach it.
 * Create it in a {@code @BeforeContainer}, {@link #drop} it in an {@code @AfterContainer}.
 */
public record PropertyDatabase(PostgresEndpoint server, PostgresEndpoint endpoint) {

    public static PropertyDatabase create(String prefix) throws SQLException {
        PostgresEndpoint server = PostgresLocator.locate(Optional.ofNullable(System.getenv("SLUICE_PG_URL")), line -> { }).endpoint();
        String database = "it_" + prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        return new PropertyDatabase(server, server.withDatabase(database));
    }

    public void drop() throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + endpoint.database() + " WITH (FORCE)");
        }
    }
}
