package io.sluice.stack;

import io.sluice.common.client.ConnectionSettings;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to obtain each service: an external one when its URL is given, else the embedded one. The
 * embedded broker and registry are plaintext, so the client and registry properties (TLS, SASL,
 * registry auth) apply only to a service that is given.
 *
 * @param kafkaBootstrap     {@code SLUICE_KAFKA_BOOTSTRAP}: use this broker instead of starting one
 * @param registryUrl        {@code SLUICE_REGISTRY_URL}: use this registry instead of starting Apicurio
 * @param pgUrl              {@code SLUICE_PG_URL}: use this PostgreSQL (JDBC URL, credentials as parameters)
 * @param progress           receives one line per start-up step
 * @param clientProperties   Kafka client properties for the given broker ({@code --command-config})
 * @param registryProperties registry client properties for the given registry
 */
public record StackConfig(Optional<String> kafkaBootstrap, Optional<String> registryUrl,
                          Optional<String> pgUrl, Consumer<String> progress,
                          Map<String, String> clientProperties, Map<String, String> registryProperties) {

    public StackConfig {
        Objects.requireNonNull(progress, "progress");
        clientProperties = Map.copyOf(clientProperties);
        registryProperties = Map.copyOf(registryProperties);
        if (!clientProperties.isEmpty() && kafkaBootstrap.isEmpty()) {
            throw new IllegalArgumentException("Kafka client properties apply to a given broker only; the embedded "
                    + "one is plaintext");
        }
        if (!registryProperties.isEmpty() && registryUrl.isEmpty()) {
            throw new IllegalArgumentException("registry properties apply to a given registry only; the embedded "
                    + "one is plaintext");
        }
    }

    /** Plaintext endpoints: each given service as is, the embedded one for the rest. */
    public StackConfig(Optional<String> kafkaBootstrap, Optional<String> registryUrl, Optional<String> pgUrl,
                       Consumer<String> progress) {
        this(kafkaBootstrap, registryUrl, pgUrl, progress, Map.of(), Map.of());
    }

    /**
     * The cluster (and the registry, when the settings name one) of {@code given}, with all its client and
     * registry properties; the embedded registry when it names none; PostgreSQL from {@code pgUrl} or embedded.
     */
    public static StackConfig given(ConnectionSettings given, Optional<String> pgUrl, Consumer<String> progress) {
        return new StackConfig(Optional.of(given.bootstrapServers()),
                Optional.ofNullable(given.registry()).map(r -> r.url()), pgUrl, progress,
                given.clientProperties(), given.registry() == null ? Map.of() : given.registry().properties());
    }

    public static StackConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), line -> { });
    }

    public static StackConfig fromEnvironment(Map<String, String> env, Consumer<String> progress) {
        return new StackConfig(nonBlank(env.get("SLUICE_KAFKA_BOOTSTRAP")), nonBlank(env.get("SLUICE_REGISTRY_URL")),
                nonBlank(env.get("SLUICE_PG_URL")), progress);
    }

    public StackConfig withProgress(Consumer<String> progress) {
        return new StackConfig(kafkaBootstrap, registryUrl, pgUrl, progress, clientProperties, registryProperties);
    }

    private static Optional<String> nonBlank(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
