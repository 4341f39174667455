package io.sluice.cli;

import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.client.RegistrySettings;
import io.sluice.common.redact.Redaction;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.RegistryClientConfig;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.postgres.PostgresLocator;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asks each service of a stack whether it answers, so that {@code sluice stack} never says "up" for
 * addresses that lead nowhere (stale {@code SLUICE_*} exports). Every service is asked, so that one run
 * names every service that is down, not only the first.
 */
final class StackCheck {

    private final Duration timeout;

    StackCheck(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * One line per service that did not answer, naming the service and why; empty when all answered.
     * An absent service is not asked.
     */
    List<String> problems(Optional<ConnectionSettings> kafka, Optional<RegistrySettings> registry,
                          Optional<PostgresEndpoint> postgres) {
        List<String> problems = new ArrayList<>();
        kafka.ifPresent(settings -> {
            try {
                ClusterCheck.verify(settings, timeout);
            } catch (RuntimeException e) {
                problems.add("Kafka: " + e.getMessage());
            }
        });
        registry.ifPresent(settings -> {
            try {
                // one retry: a registry that is down should fail in seconds, not after the client's backoff
                new HttpSchemaRegistryClient(RegistryClientConfig.of(settings).withRetries(1, Duration.ofMillis(200)))
                        .checkAnswers();
            } catch (RuntimeException e) {
                problems.add("schema registry: " + e.getMessage());
            }
        });
        postgres.ifPresent(endpoint -> {
            try {
                PostgresLocator.check(endpoint);
            } catch (SQLException e) {
                problems.add("PostgreSQL: cannot connect to " + Redaction.url(endpoint.jdbcUrl()) + ": "
                        + Redaction.text(e.getMessage()));
            }
        });
        return problems;
    }
}
