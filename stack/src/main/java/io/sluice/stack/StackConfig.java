package io.sluice.stack;

import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * How to obtain each service: an external one when its URL is given, else the embedded one.
 *
 * @param kafkaBootstrap {@code SLUICE_KAFKA_BOOTSTRAP}: use this broker instead of starting one
 * @param registryUrl    {@code SLUICE_REGISTRY_URL}: use this registry instead of starting Apicurio
 * @param pgUrl          {@code SLUICE_PG_URL}: use this PostgreSQL (JDBC URL, credentials as parameters)
 * @param progress       receives one line per start-up step
 */
public record StackConfig(Optional<String> kafkaBootstrap, Optional<String> registryUrl,
                          Optional<String> pgUrl, Consumer<String> progress) {

    public static StackConfig fromEnvironment() {
        return fromEnvironment(System.getenv(), line -> { });
    }

    public static StackConfig fromEnvironment(Map<String, String> env, Consumer<String> progress) {
        return new StackConfig(nonBlank(env.get("SLUICE_KAFKA_BOOTSTRAP")), nonBlank(env.get("SLUICE_REGISTRY_URL")),
                nonBlank(env.get("SLUICE_PG_URL")), progress);
    }

    public StackConfig withProgress(Consumer<String> progress) {
        return new StackConfig(kafkaBootstrap, registryUrl, pgUrl, progress);
    }

    private static Optional<String> nonBlank(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
