package io.sluice.cli.connect;

import io.sluice.connect.ConnectRestClient;
import io.sluice.connect.ConnectorRegistration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code sluice connect register}: puts a connector's config to Kafka Connect's REST API and waits
 * until the connector and its tasks are RUNNING. Consumes connect-config's
 * {@code mongodb-users-source.json} (bundled) or {@code --config FILE}; produces a running connector, or
 * exit code 1 with the FAILED part's stack trace as Connect reports it.
 */
@Command(name = "register",
        description = {
                "Register the Debezium MongoDB connector with Kafka Connect and wait until it runs.",
                "PUTs the config to /connectors/{name}/config (creates the connector or updates it), then "
                        + "polls /connectors/{name}/status until the connector and its tasks are RUNNING. "
                        + "A FAILED connector or task is reported with Connect's stack trace. Secrets stay "
                        + "${file:...} placeholders, resolved by the worker (see connect-worker.properties)."},
        footerHeading = "%nEnvironment:%n",
        footer = "  SLUICE_CONNECT_URL  default of --connect-url")
public final class ConnectRegisterCommand implements Callable<Integer> {

    /** connect-config's connector file, on the classpath through the sluice-connect-config jar. */
    static final String BUNDLED_CONFIG = "mongodb-users-source.json";

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--connect-url", paramLabel = "URL", defaultValue = "${env:SLUICE_CONNECT_URL:-http://localhost:8083}",
            description = "Kafka Connect REST API (default: ${DEFAULT-VALUE}).")
    URI connectUrl;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Connector JSON, {\"name\": ..., \"config\": {...}} (default: the bundled " + BUNDLED_CONFIG + ").")
    Path config;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for RUNNING (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    /** How often the status is polled; tests shorten it. */
    Duration pollInterval = Duration.ofSeconds(1);

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutSeconds < 1) throw new ParameterException(spec.commandLine(), "--timeout must be >= 1, got " + timeoutSeconds);
        ConnectorRegistration.ConnectorFile file;
        try {
            file = ConnectorRegistration.ConnectorFile.parse(readConfig(), config == null ? BUNDLED_CONFIG : config.toString());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ConnectorRegistration registration = new ConnectorRegistration(new ConnectRestClient(connectUrl), pollInterval);
        ConnectorRegistration.State state = registration.register(file, Duration.ofSeconds(timeoutSeconds), line -> {
            err.println(line);
            err.flush();
        });
        out.println("connector " + file.name() + " is RUNNING (" + state.tasks().size() + " task"
                + (state.tasks().size() == 1 ? "" : "s") + ")");
        out.flush();
        return 0;
    }

    private String readConfig() throws IOException {
        if (config != null) {
            try {
                return Files.readString(config, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ParameterException(spec.commandLine(), "--config " + config + ": no such file");
            }
        }
        try (InputStream in = ConnectRegisterCommand.class.getClassLoader().getResourceAsStream(BUNDLED_CONFIG)) {
            if (in == null) throw new IllegalStateException(BUNDLED_CONFIG + " is not on the classpath (sluice-connect-config jar)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
