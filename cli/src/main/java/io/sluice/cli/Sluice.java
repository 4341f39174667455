package io.sluice.cli;

import io.sluice.cli.bench.BenchCommand;
import io.sluice.cli.connect.ConnectCommand;
import io.sluice.cli.etl.EtlSinkCommand;
import io.sluice.cli.etl.FlattenerCommand;
import io.sluice.cli.etl.GenerateUsersCommand;
import io.sluice.cli.ops.DlqCommand;
import io.sluice.cli.ops.LagCommand;
import io.sluice.cli.ops.ReplayCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The {@code sluice} executable: one subcommand per job. Exit codes follow picocli: 0 success,
 * 1 the command failed (one line on stderr, the stack trace with {@code --verbose}), 2 bad usage,
 * {@value FatalErrors#EXIT_CODE} an Error (OutOfMemoryError, ...) on some thread halted the process,
 * {@value ShutdownWatchdog#EXIT_CODE} the shutdown after Ctrl-C or SIGTERM outlasted its deadline.
 */
@Command(name = "sluice",
        mixinStandardHelpOptions = true,
        versionProvider = ManifestVersionProvider.class,
        description = "Streaming integration on Apache Kafka: Bluesky backfill, MongoDB CDC ETL, DCB event store.",
        subcommands = {StackCommand.class,
                PublishDidsCommand.class, ResolveCommand.class, RateLimiterCommand.class, FetcherCommand.class, RecordsSinkCommand.class,
                InspectCarCommand.class, SimulatePdsCommand.class,
                GenerateUsersCommand.class,
                FlattenerCommand.class,
                EtlSinkCommand.class,
                ConnectCommand.class,
                DcbApiCommand.class, GrpcHealthCommand.class,
                DemoCommand.class,
                MonitorCommand.class,
                BenchCommand.class,
                LagCommand.class, ReplayCommand.class, DlqCommand.class,
                HelpCommand.class},
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  SLUICE_KAFKA_BOOTSTRAP  use this Kafka cluster, not the embedded broker",
                "  SLUICE_REGISTRY_URL     use this schema registry, not the embedded one",
                "  SLUICE_PG_URL           use this PostgreSQL (JDBC URL with credentials)",
                "  SLUICE_LOG_LEVEL        WARN by default; ERROR, INFO, DEBUG, TRACE, OFF"})
public final class Sluice implements Callable<Integer> {

    static final Set<String> LOG_LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    @Spec
    CommandSpec spec;

    /** Inherited by every subcommand; ExecutionErrorHandler reads it from the parse result. */
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print the stack trace when a command fails.")
    boolean verbose;

    public static void main(String[] args) {
        FatalErrors.install();
        String logLevelError = checkLogLevel(System.getenv("SLUICE_LOG_LEVEL"));
        if (logLevelError != null) {
            System.err.println("sluice: " + logLevelError);
            System.exit(CommandLine.ExitCode.USAGE);
        }
        int code = commandLine().execute(args);
        // System.exit runs the shutdown hooks (a command's close): bounded like a stop by Ctrl-C
        ShutdownWatchdog.start(() -> "in the shutdown hooks", ShutdownWatchdog.DEADLINE,
                new PrintWriter(System.err, true), Runtime.getRuntime()::halt);
        System.exit(code);
    }

    /** The command line with sluice's error handling; tests execute it like {@link #main}. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Sluice())
                .setExecutionExceptionHandler(new ExecutionErrorHandler())
                .setParameterExceptionHandler(new UsageErrorHandler());
        addHelpOptions(cli);
        return cli;
    }

    /**
     * Gives every command in the tree {@code -h, --help} unless it declares its own: a command added
     * without one would answer "Unknown option: '--help'", which a user cannot get past.
     */
    static void addHelpOptions(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        if (spec.options().stream().noneMatch(OptionSpec::usageHelp)) {
            List<String> names = Stream.of("-h", "--help").filter(n -> spec.findOption(n) == null).toList();
            spec.addOption(OptionSpec.builder(names.toArray(String[]::new)).usageHelp(true)
                    .description("Show this help message and exit.").build());
        }
        command.getSubcommands().values().forEach(Sluice::addHelpOptions);
    }

    /** {@code sluice} without a command: show what there is, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return CommandLine.ExitCode.USAGE;
    }

    /**
     * logback.xml reads {@code SLUICE_LOG_LEVEL}, but logback quietly turns a misspelt level into
     * DEBUG, which floods the terminal with broker logs; so the value is checked before logging starts.
     *
     * @return the error to print, or null when the value is absent or valid
     */
    static String checkLogLevel(String value) {
        if (value == null || value.isBlank() || LOG_LEVELS.contains(value.trim().toUpperCase(Locale.ROOT))) {
            return null;
        }
        return "SLUICE_LOG_LEVEL=" + value + " is not a log level; use one of ERROR, WARN, INFO, DEBUG, TRACE, OFF";
    }
}
