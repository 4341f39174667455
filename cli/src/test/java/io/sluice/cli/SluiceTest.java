package io.sluice.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

class SluiceTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(CommandLine cli, String... args) {
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int run(String... args) {
        return run(Sluice.commandLine(), args);
    }

    @Test
    void helpListsEverySubcommandWithItsSummary() {
        CommandLine cli = Sluice.commandLine();

        assertThat(run(cli, "--help")).isZero();

        assertThat(cli.getSubcommands()).containsKeys("stack", "simulate-pds", "fetcher", "help");
        String help = out.toString();
        // picocli wraps a summary longer than the line allows, even after a dot inside a topic name
        // ("backfill.\n resolved"): compare with all whitespace removed
        String unwrapped = help.replaceAll("\\s+", "");
        cli.getSubcommands().forEach((name, sub) -> {
            // picocli's command list shows the header if there is one, else the first description line
            var usage = sub.getCommandSpec().usageMessage();
            String summary = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
            assertThat(help).containsPattern("(?m)^\\s+" + name + "\\s+");
            assertThat(unwrapped).contains(name + summary.replaceAll("\\s+", ""));
        });
        assertThat(help).contains("SLUICE_KAFKA_BOOTSTRAP", "SLUICE_REGISTRY_URL", "SLUICE_PG_URL", "--verbose");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void unknownSubcommandIsAUsageErrorThatNamesTheCommands() {
        assertThat(run("bogus")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString())
                .contains("sluice: 'bogus' is not a sluice command")
                .contains("Commands: " + String.join(", ", Sluice.commandLine().getSubcommands().keySet()) + ".")
                .contains("Run 'sluice --help' for usage.");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void misspeltSubcommandGetsASuggestion() {
        assertThat(run("stak")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("'stak' is not a sluice command").contains("Did you mean").contains("stack");
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertThat(run("--bogus")).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("Unknown option: '--bogus'").contains("Run 'sluice --help' for usage.");
    }

    @Test
    void noSubcommandPrintsUsageAsAUsageError() {
        assertThat(run()).isEqualTo(CommandLine.ExitCode.USAGE);

        assertThat(err.toString()).contains("Usage: sluice").contains("stack");
    }

    @Test
    void versionNamesSluiceAndJava() {
        assertThat(run("--version")).isZero();

        assertThat(out.toString()).startsWith("sluice ").contains("Java " + Runtime.version().feature());
    }

    @Command(name = "boom", description = "Fails.")
    static final class Boom implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new IllegalStateException("could not start the broker",
                    new java.net.ConnectException("Connection refused"));
        }
    }

    @Test
    void failingCommandPrintsOneLineAndExitsOne() {
        CommandLine cli = Sluice.commandLine().addSubcommand(new Boom());

        assertThat(run(cli, "boom")).isEqualTo(CommandLine.ExitCode.SOFTWARE);

        assertThat(err.toString().lines()).containsExactly(
                "sluice boom: could not start the broker: Connection refused (ConnectException)"
                        + " (--verbose shows the stack trace)");
    }

    @Test
    void verboseAddsTheStackTraceBeforeOrAfterTheSubcommand() {
        for (String[] args : new String[][] {{"boom", "--verbose"}, {"-v", "boom"}}) {
            err.getBuffer().setLength(0);
            CommandLine cli = Sluice.commandLine().addSubcommand(new Boom());

            assertThat(run(cli, args)).isEqualTo(CommandLine.ExitCode.SOFTWARE);

            assertThat(err.toString())
                    .contains("java.lang.IllegalStateException: could not start the broker")
                    .contains("Caused by: java.net.ConnectException: Connection refused")
                    .contains("\tat io.sluice.cli.SluiceTest$Boom.call")
                    .endsWith("sluice boom: could not start the broker: Connection refused (ConnectException)"
                            + System.lineSeparator());
        }
    }

    @Test
    void describeFallsBackToTheTypeWhenThereIsNoMessage() {
        assertThat(ExecutionErrorHandler.describe(new NullPointerException())).isEqualTo("NullPointerException");
        assertThat(ExecutionErrorHandler.describe(new RuntimeException(new java.io.IOException("disk full"))))
                .isEqualTo("java.io.IOException: disk full (IOException)");
        assertThat(ExecutionErrorHandler.describe(new IllegalStateException("no broker.\nGive up.",
                new java.net.ConnectException("Connection refused."))))
                .isEqualTo("no broker. Give up: Connection refused (ConnectException)");
    }

    @Test
    void logLevelIsCheckedStrictly() {
        assertThat(Sluice.checkLogLevel(null)).isNull();
        assertThat(Sluice.checkLogLevel("info")).isNull();
        assertThat(Sluice.checkLogLevel("DEBUG")).isNull();
        assertThat(Sluice.checkLogLevel("verbose"))
                .isEqualTo("SLUICE_LOG_LEVEL=verbose is not a log level; use one of ERROR, WARN, INFO, DEBUG, TRACE, OFF");
    }
}
