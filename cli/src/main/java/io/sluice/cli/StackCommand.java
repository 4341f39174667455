package io.sluice.cli;

import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.client.RegistrySettings;
import io.sluice.common.redact.Redaction;
import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackConfig;
import io.sluice.stack.StackEndpoints;
import io.sluice.stack.postgres.PostgresUrls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * {@code sluice stack}: starts the embedded stack (Kafka broker, schema registry, PostgreSQL; each
 * replaced by the external service the connection options name, a given cluster checked first), prints
 * where each service is and the client settings other commands would use (credentials hidden), and runs
 * until Ctrl-C or SIGTERM, then closes the stack, stopping the processes it started, and exits 0.
 * Connection strings go to stdout, progress and errors to stderr.
 */
@Command(name = "stack",
        description = {
                "Run the embedded stack (Kafka, registry, PostgreSQL) until Ctrl-C.",
                "Prints the connection strings and an export line for the SLUICE_* variables, which "
                        + "point other sluice commands and the tests at this stack."})
final class StackCommand implements Callable<Integer> {

    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--env-file", paramLabel = "FILE",
            description = "Also write the export line to FILE once the stack is up (for `source FILE` "
                    + "in another shell, or to wait for); removed when the stack stops.")
    Path envFile;

    /** How long each service may take to answer the check before "up"; shorter in tests. */
    Duration checkTimeout = ClusterCheck.DEFAULT_TIMEOUT;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StackConfig config = connection.stack(err::println);
        Optional<Path> commandConfig = connection.commandConfig();
        // Installed before starting, so that a Ctrl-C during start-up still shuts down what started.
        StopSignals stop = StopSignals.install(err);
        stop.closing("the embedded stack");
        StackCheck check = new StackCheck(checkTimeout);
        // The given services first, each of them, before anything starts: stale SLUICE_* exports
        // should fail naming every address that does not answer.
        if (!allAnswer(check.problems(
                config.kafkaBootstrap().map(bootstrap -> new ConnectionSettings(bootstrap, config.clientProperties(), null)),
                config.registryUrl().map(url -> new RegistrySettings(url, config.registryProperties())),
                config.pgUrl().map(PostgresUrls::parse)), err)) {
            return 1;
        }
        EmbeddedStack stack = EmbeddedStack.start(config);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                stack.close();
            }
        };
        // For exits that bypass the stop signal (SIGHUP, a signal handler the JVM refused): the
        // stack's child processes must not outlive this one.
        Thread hook = new Thread(close, "sluice-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            StackEndpoints endpoints = stack.endpoints();
            // then the ones started here: "up" means every service answered just now
            if (!allAnswer(check.problems(
                    config.kafkaBootstrap().isPresent() ? Optional.empty() : Optional.of(endpoints.connection()),
                    config.registryUrl().isPresent() ? Optional.empty() : Optional.ofNullable(endpoints.connection().registry()),
                    config.pgUrl().isPresent() ? Optional.empty() : Optional.of(endpoints.postgres())), err)) {
                return 1;
            }
            // A PostgreSQL password the user gave is theirs to paste: not printed.
            StackEndpoints shown = config.pgUrl().isPresent() ? withoutPassword(endpoints) : endpoints;
            printEndpoints(shown, commandConfig, out);
            if (envFile != null) {
                writeEnvFile(envFile, exportLine(endpoints, commandConfig));
                err.println("wrote " + envFile);
            }
            out.println();
            out.println("Running. Press Ctrl-C to stop.");
            out.flush();
            stop.await();
            err.println("stopping the stack ...");
        } finally {
            if (envFile != null) {
                Files.deleteIfExists(envFile);
            }
            close.run();
            removeShutdownHook(hook);
        }
        err.println("stack stopped");
        return 0;
    }

    /** Prints each problem on its own line; true when there is none. */
    private static boolean allAnswer(List<String> problems, PrintWriter err) {
        problems.forEach(problem -> err.println("sluice stack: not up: " + problem));
        err.flush();
        return problems.isEmpty();
    }

    static void printEndpoints(StackEndpoints endpoints, PrintWriter out) {
        printEndpoints(endpoints, Optional.empty(), out);
    }

    /** The addresses, the client and registry settings of given services (credentials hidden) and the export line. */
    static void printEndpoints(StackEndpoints endpoints, Optional<Path> commandConfig, PrintWriter out) {
        out.println("sluice stack is up:");
        out.println();
        out.println("  Kafka bootstrap servers   " + endpoints.bootstrapServers());
        out.println("  Schema registry (ccompat) " + endpoints.registryUrl());
        out.println("  PostgreSQL JDBC URL       " + endpoints.postgres().jdbcUrl());
        out.println("  PostgreSQL user           " + endpoints.postgres().user()
                + (endpoints.postgres().password().isEmpty() ? "" : " (password in SLUICE_PG_URL below)"));
        Map<String, String> client = endpoints.connection().clientProperties();
        if (!client.isEmpty()) out.println("  Kafka client settings     " + Redaction.config(client));
        Map<String, String> registry = endpoints.connection().registry().properties();
        if (!registry.isEmpty()) out.println("  Registry client settings  " + Redaction.config(registry));
        commandConfig.ifPresent(file -> out.println("  Command config            " + file));
        out.println();
        out.println("To use it from another shell, a sluice command or the tests:");
        out.println();
        out.println(exportLine(endpoints, commandConfig));
        out.flush();
    }

    static String exportLine(StackEndpoints endpoints) {
        return exportLine(endpoints, Optional.empty());
    }

    static String exportLine(StackEndpoints endpoints, Optional<Path> commandConfig) {
        return "export SLUICE_KAFKA_BOOTSTRAP=" + shellQuote(endpoints.bootstrapServers())
                + " SLUICE_REGISTRY_URL=" + shellQuote(endpoints.registryUrl())
                + " SLUICE_PG_URL=" + shellQuote(endpoints.postgres().jdbcUrlWithCredentials())
                + commandConfig.map(file -> " SLUICE_CLIENT_CONFIG=" + shellQuote(file.toAbsolutePath().toString())).orElse("");
    }

    static StackEndpoints withoutPassword(StackEndpoints endpoints) {
        PostgresEndpoint pg = endpoints.postgres();
        if (pg.password().isEmpty()) return endpoints;
        return new StackEndpoints(endpoints.bootstrapServers(), endpoints.registryUrl(),
                new PostgresEndpoint(pg.jdbcUrl(), pg.user(), DemoAddresses.HIDDEN_PASSWORD), endpoints.connection());
    }

    /** The value as one word for a POSIX shell: as is when that is safe, else in single quotes. */
    static String shellQuote(String value) {
        if (SHELL_SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    /** Written whole or not at all, readable by the owner only: SLUICE_PG_URL may carry a password. */
    static void writeEnvFile(Path file, String exportLine) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".sluice-env", ".tmp");
        try {
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the temp file is already private to the user
            }
            Files.writeString(tmp, exportLine + System.lineSeparator());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook is running or has run; close is idempotent
        }
    }
}
