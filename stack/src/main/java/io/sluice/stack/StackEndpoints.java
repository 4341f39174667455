package io.sluice.stack;

import io.sluice.common.client.ConnectionSettings;

/**
 * Where the three backing services of a sluice stack are reachable.
 *
 * @param bootstrapServers Kafka bootstrap servers, e.g. {@code 127.0.0.1:39211}
 * @param registryUrl      base URL of a Confluent-compatible Schema Registry API, e.g.
 *                         {@code http://127.0.0.1:38080/apis/ccompat/v7}
 * @param postgres         the PostgreSQL server (its maintenance database)
 */
public record StackEndpoints(String bootstrapServers, String registryUrl, PostgresEndpoint postgres) {

    /** Plaintext connection settings for the stack's broker and registry. */
    public ConnectionSettings connection() {
        return ConnectionSettings.plaintext(bootstrapServers, registryUrl);
    }
}
