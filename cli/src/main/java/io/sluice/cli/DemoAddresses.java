package io.sluice.cli;

import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackEndpoints;

import java.io.PrintWriter;
import java.util.Optional;

/**
 * Where the demo's services are, printed as it starts, so that a user can look at them from another
 * shell while it runs (or after, with {@code --keep-running}): the broker, the registry, the run's
 * database, the monitor page, and an {@code export} line in the form {@code sluice stack} prints. The
 * PostgreSQL password is shown only when asked for.
 */
final class DemoAddresses {

    static final String HIDDEN_PASSWORD = "***";

    private DemoAddresses() {
    }

    static void print(PrintWriter out, StackEndpoints stack, PostgresEndpoint database, Optional<String> monitorUrl,
                      boolean showPassword) {
        out.println("  Kafka bootstrap servers   " + stack.bootstrapServers());
        out.println("  Schema registry (ccompat) " + stack.registryUrl());
        out.println("  PostgreSQL database       " + database.jdbcUrl()
                + (database.user().isEmpty() ? "" : " (user " + database.user() + ")"));
        out.println("  Monitor                   " + monitorUrl.orElse(
                "none (on an external broker the demo prefixes its names; sluice monitor shows the standard ones)"));
        out.println(exportLine(stack, database, showPassword));
        if (!showPassword && !database.password().isEmpty()) {
            out.println("  (password hidden; --show-password prints it)");
        }
    }

    static String exportLine(StackEndpoints stack, PostgresEndpoint database, boolean showPassword) {
        PostgresEndpoint shown = showPassword || database.password().isEmpty() ? database
                : new PostgresEndpoint(database.jdbcUrl(), database.user(), HIDDEN_PASSWORD);
        return StackCommand.exportLine(new StackEndpoints(stack.bootstrapServers(), stack.registryUrl(), shown));
    }
}
