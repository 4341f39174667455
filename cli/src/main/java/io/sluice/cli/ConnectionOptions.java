package io.sluice.cli;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.client.RegistrySettings;
import io.sluice.common.redact.Redaction;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackConfig;
import io.sluice.stack.postgres.PostgresUrls;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one connection vocabulary of every command that connects, as Kafka's own tools spell it:
 * {@code --bootstrap-server}, {@code --registry-url}, {@code --pg-url} and {@code --command-config},
 * each defaulting to its {@code SLUICE_*} variable, all in the "Connection:" section of {@code --help}.
 * A command asks only for what it uses; what is missing or invalid is a usage error (exit 2) naming the
 * option and the variable, and never echoing a credential. The old spellings ({@code --bootstrap},
 * {@code --bootstrap-servers}, {@code --registry}) are hidden aliases for one release.
 */
public final class ConnectionOptions {

    static final String BOOTSTRAP = "--bootstrap-server";
    static final String REGISTRY = "--registry-url";
    static final String PG = "--pg-url";
    static final String COMMAND_CONFIG = "--command-config";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    // Initialised here so the values exist when no connection option is on the command line.
    @ArgGroup(validate = false, heading = "Connection:%n", order = 1000)
    Values values = new Values();

    static final class Values {
        @Option(names = BOOTSTRAP, paramLabel = "HOST:PORT[,...]", defaultValue = "${env:SLUICE_KAFKA_BOOTSTRAP}",
                description = "Kafka bootstrap servers (default: $SLUICE_KAFKA_BOOTSTRAP).")
        String bootstrap;

        @Option(names = {"--bootstrap", "--bootstrap-servers"}, hidden = true, description = "Old spelling of --bootstrap-server.")
        String bootstrapAlias;

        @Option(names = REGISTRY, paramLabel = "URL", defaultValue = "${env:SLUICE_REGISTRY_URL}",
                description = "Schema registry base URL, Confluent API, e.g. http://127.0.0.1:8080/apis/ccompat/v7 "
                        + "(default: $SLUICE_REGISTRY_URL).")
        String registry;

        @Option(names = "--registry", hidden = true, description = "Old spelling of --registry-url.")
        String registryAlias;

        @Option(names = PG, paramLabel = "JDBC_URL", defaultValue = "${env:SLUICE_PG_URL}",
                description = "PostgreSQL JDBC URL, credentials as user= and password= parameters (default: $SLUICE_PG_URL).")
        String pgUrl;

        @Option(names = COMMAND_CONFIG, paramLabel = "FILE", defaultValue = "${env:SLUICE_CLIENT_CONFIG}",
                description = "Properties file of Kafka client settings (security.protocol, sasl.*, ssl.*, ...) for "
                        + "every client, and schema.registry.*/basic.auth.*/bearer.auth.* for the registry client "
                        + "(default: $SLUICE_CLIENT_CONFIG).")
        String commandConfig;
    }

    /** Kafka (and the registry, when one is given): for commands that do not need the registry. */
    public ConnectionSettings kafka() {
        return load(false);
    }

    /** Kafka and the schema registry, which must be given (option, variable or the command config). */
    public ConnectionSettings kafkaAndRegistry() {
        return load(true);
    }

    /** PostgreSQL, which must be given. */
    public PostgresEndpoint postgres() {
        return postgresIfGiven().orElseThrow(() -> missing(PG, "SLUICE_PG_URL"));
    }

    /** PostgreSQL when given; empty otherwise. */
    public Optional<PostgresEndpoint> postgresIfGiven() {
        String url = value(values.pgUrl, null, "SLUICE_PG_URL");
        if (url == null) return Optional.empty();
        try {
            return Optional.of(PostgresUrls.parse(url));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), PG + ": " + Redaction.text(e.getMessage()));
        }
    }

    /**
     * For the commands that start the embedded stack for what is not given ({@code dcb-api}, {@code demo},
     * {@code stack}, {@code bench}): a given cluster (option, variable or {@code bootstrap.servers} in the
     * command config) with every client and registry property of the command config, a given registry and
     * PostgreSQL; the embedded, plaintext services for the rest. A command config that names no cluster is a
     * usage error: its settings could not apply to the embedded broker.
     */
    public StackConfig stack(Consumer<String> progress) {
        Optional<String> pg = postgresIfGiven().map(given -> value(values.pgUrl, null, "SLUICE_PG_URL"));
        boolean clusterGiven = value(values.bootstrap, values.bootstrapAlias, "SLUICE_KAFKA_BOOTSTRAP") != null
                || commandConfig().isPresent();
        if (!clusterGiven) {
            String registry = value(values.registry, values.registryAlias, "SLUICE_REGISTRY_URL");
            if (registry != null) {
                try {
                    RegistrySettings.plaintext(registry);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), REGISTRY + ": " + Redaction.text(e.getMessage()));
                }
            }
            return new StackConfig(Optional.empty(), Optional.ofNullable(registry), pg, progress);
        }
        return StackConfig.given(load(false), pg, progress);
    }

    /** The {@code --command-config} file (or {@code SLUICE_CLIENT_CONFIG}), when given. */
    public Optional<Path> commandConfig() {
        return Optional.ofNullable(value(values.commandConfig, null, "SLUICE_CLIENT_CONFIG")).map(Path::of);
    }

    private ConnectionSettings load(boolean registryRequired) {
        String bootstrap = value(values.bootstrap, values.bootstrapAlias, "SLUICE_KAFKA_BOOTSTRAP");
        String registry = value(values.registry, values.registryAlias, "SLUICE_REGISTRY_URL");
        String file = value(values.commandConfig, null, "SLUICE_CLIENT_CONFIG");
        Path config = file == null ? null : Path.of(file);
        if (bootstrap == null && config == null) throw missing(BOOTSTRAP, "SLUICE_KAFKA_BOOTSTRAP");
        ConnectionSettings settings;
        try {
            settings = ConnectionSettings.load(bootstrap, registry, config);
        } catch (IllegalArgumentException e) {
            String option = config != null && e.getMessage().contains(config.toString()) ? COMMAND_CONFIG
                    : e.getMessage().contains("bootstrap") ? BOOTSTRAP : REGISTRY;
            throw new ParameterException(spec.commandLine(), option + ": " + Redaction.text(e.getMessage()));
        }
        if (registryRequired && settings.registry() == null) throw missing(REGISTRY, "SLUICE_REGISTRY_URL");
        return settings;
    }

    /** The option's value, else its old spelling's, else the variable's (an ArgGroup's defaults are not always applied). */
    private static String value(String option, String alias, String variable) {
        if (option != null && !option.isBlank()) return option.trim();
        if (alias != null && !alias.isBlank()) return alias.trim();
        String env = System.getenv(variable);
        return env == null || env.isBlank() ? null : env.trim();
    }

    private ParameterException missing(String option, String variable) {
        return new ParameterException(spec.commandLine(), "no " + option + " given and " + variable
                + " is not set (start a stack with 'sluice stack' and run the export line it prints)");
    }
}
