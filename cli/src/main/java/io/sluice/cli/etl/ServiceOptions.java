package io.sluice.cli.etl;

import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.postgres.PostgresUrls;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the services are, for the ETL commands: each option defaults to its {@code SLUICE_*} variable
 * (what {@code sluice stack} prints and docker compose sets), and a command asks only for what it uses,
 * failing as a usage error that names both the option and the variable when neither is given.
 */
public final class ServiceOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "${env:SLUICE_KAFKA_BOOTSTRAP}",
            description = "Kafka bootstrap servers (default: $SLUICE_KAFKA_BOOTSTRAP).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", defaultValue = "${env:SLUICE_REGISTRY_URL}",
            description = "Confluent-compatible schema registry API, e.g. http://localhost:8080/apis/ccompat/v7 "
                    + "(default: $SLUICE_REGISTRY_URL).")
    String registryUrl;

    @Option(names = "--pg-url", paramLabel = "JDBC-URL", defaultValue = "${env:SLUICE_PG_URL}",
            description = "PostgreSQL JDBC URL, credentials as user= and password= parameters "
                    + "(default: $SLUICE_PG_URL).")
    String pgUrl;

    public String bootstrapServers() {
        return require(bootstrapServers, "--bootstrap-servers", "SLUICE_KAFKA_BOOTSTRAP");
    }

    public String registryUrl() {
        return require(registryUrl, "--registry-url", "SLUICE_REGISTRY_URL");
    }

    public PostgresEndpoint postgres() {
        String url = require(pgUrl, "--pg-url", "SLUICE_PG_URL");
        try {
            return PostgresUrls.parse(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--pg-url: " + e.getMessage());
        }
    }

    private String require(String value, String option, String variable) {
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(), option + " is not set: pass it or set " + variable
                    + " (`sluice stack` prints an export line for the SLUICE_* variables)");
        }
        return value.trim();
    }
}
