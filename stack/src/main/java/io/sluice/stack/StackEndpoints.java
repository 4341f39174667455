package io.sluice.stack;

import io.sluice.common.client.ConnectionSettings;

import java.util.Objects;

/**
 * Where the three backing services of a sluice stack are reachable, and how every client connects to them.
 *
 * @param bootstrapServers Kafka bootstrap servers, e.g. {@code 127.0.0.1:39211}
 * @param registryUrl      base URL of a Confluent-compatible Schema Registry API, e.g.
 *                         {@code http://127.0.0.1:38080/apis/ccompat/v7}
 * @param postgres         the PostgreSQL server (its maintenance database)
 * @param connection       the settings every Kafka and registry client of the stack's users is built from:
 *                         plaintext for the embedded services, a given cluster's TLS/SASL and registry auth
 */
public record StackEndpoints(String bootstrapServers, String registryUrl, PostgresEndpoint postgres,
                             ConnectionSettings connection) {

    public StackEndpoints {
        Objects.requireNonNull(connection, "connection");
    }

    /** Plaintext endpoints (the embedded stack, tests). */
    public StackEndpoints(String bootstrapServers, String registryUrl, PostgresEndpoint postgres) {
        this(bootstrapServers, registryUrl, postgres, ConnectionSettings.plaintext(bootstrapServers, registryUrl));
    }
}
