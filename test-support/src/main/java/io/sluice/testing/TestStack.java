package io.sluice.testing;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.stack.PostgresEndpoint;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * What an integration test class sees of the stack: the shared broker and registry, and a
 * PostgreSQL database created for this test class alone.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl      Confluent-compatible registry API base URL ({@code .../apis/ccompat/v7})
 * @param postgres         this test class's own database
 */
public record TestStack(String bootstrapServers, String registryUrl, PostgresEndpoint postgres) {

    /** Plaintext connection settings for the shared broker and registry. */
    public ConnectionSettings connection() {
        return ConnectionSettings.plaintext(bootstrapServers, registryUrl);
    }

    public Connection connect() throws SQLException {
        return postgres.connect();
    }

    /** A topic (or group) name no other test uses, so tests sharing the broker never collide. */
    public String unique(String base) {
        return base + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
