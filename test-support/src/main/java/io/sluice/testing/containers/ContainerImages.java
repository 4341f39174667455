package io.sluice.testing.containers;

import java.util.Map;

/**
 * The images of the containers stack. The defaults are those of {@code docker-compose.yml}, so a user
 * with Docker and a registry runs the tests against what {@code docker compose up} runs; here, where no
 * image registry is reachable, {@code test-support/images/build.sh} builds images of our own from
 * Debian's and Maven Central's software and prints the settings that point at them.
 */
public record ContainerImages(String kafka, String registry, String postgres) {

    public static final String KAFKA = "SLUICE_TEST_KAFKA_IMAGE";
    public static final String REGISTRY = "SLUICE_TEST_REGISTRY_IMAGE";
    public static final String POSTGRES = "SLUICE_TEST_POSTGRES_IMAGE";

    public static ContainerImages fromEnvironment(Map<String, String> env) {
        return new ContainerImages(
                env.getOrDefault(KAFKA, "apache/kafka:4.3.1"),
                env.getOrDefault(REGISTRY, "apicurio/apicurio-registry:3.3.3"),
                env.getOrDefault(POSTGRES, "postgres:17"));
    }
}
