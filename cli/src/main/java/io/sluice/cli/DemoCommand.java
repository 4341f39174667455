package io.sluice.cli;

import io.sluice.demo.Demo;
import io.sluice.demo.DemoContext;
import io.sluice.demo.DemoDatabase;
import io.sluice.demo.DemoMonitor;
import io.sluice.demo.DemoRateLimits;
import io.sluice.demo.DemoNames;
import io.sluice.demo.DemoSettings;
import io.sluice.demo.DemoSummary;
import io.sluice.demo.WorkloadResult;
import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackConfig;
import io.sluice.stack.StackEndpoints;
import io.sluice.stack.TempDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code sluice demo}: the embedded stack, then the three workloads at once on a small data set
 * (a backfill from the PDS simulator, the users ETL, a burst of DCB appends), a progress bar per
 * workload on stderr, and a summary on stdout whose numbers are counted in PostgreSQL and checked
 * against what the simulator and the generators produced. Exits 0 when everything matches, 1 on a
 * MISMATCH or a failed workload, 2 on bad options.
 */
@Command(name = "demo",
        description = {
                "Run all three workloads on the embedded stack and check the results in PostgreSQL.",
                "Starts the stack (or uses the services the connection options name, with the TLS, SASL and registry "
                        + "auth of --command-config), then at once: a backfill of --dids DIDs "
                        + "from the PDS simulator (the rate limiter at 20/s per host), the ETL of --users users through the "
                        + "flattener and the ETL sink, and --dcb-appends conditional appends through the DCB HTTP API. Prints a "
                        + "progress bar per workload, then a summary (items, rows, seconds, dead letters, rate-limit violations) "
                        + "whose every number is checked against PostgreSQL: MISMATCH and exit 1 if one differs.",
                "The run writes to a new PostgreSQL database, sluice_demo_<run>, dropped at the end unless --keep-database."})
final class DemoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--dids", paramLabel = "N", defaultValue = "2000", description = "DIDs to backfill (default ${DEFAULT-VALUE}).")
    int dids;

    @Option(names = "--hosts", paramLabel = "H", defaultValue = "20",
            description = "Simulated PDS hosts the DIDs are spread over (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(names = "--users", paramLabel = "N", defaultValue = "10000", description = "Users for the ETL (default ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--dcb-appends", paramLabel = "N", defaultValue = "5000",
            description = "Conditional appends to the DCB store (default ${DEFAULT-VALUE}).")
    int dcbAppends;

    @Option(names = "--dcb-clients", paramLabel = "N", defaultValue = "16",
            description = "Concurrent HTTP clients sending them (default ${DEFAULT-VALUE}).")
    int dcbClients;

    @Option(names = "--one-at-a-time", description = "Run the workloads one after another instead of all at once.")
    boolean oneAtATime;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "Give up on a workload after this long (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--keep-running", description = "After the summary, leave the stack (and the monitor) up until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--keep-database", description = "Keep the run's PostgreSQL database (sluice_demo_<run>) at the end.")
    boolean keepDatabase;

    @Option(names = "--show-password", description = "Print the PostgreSQL password in the export line (hidden by default).")
    boolean showPassword;

    @Option(names = "--json", description = "Print the summary as one JSON object.")
    boolean json;

    // A given cluster gets the run's prefix, demo-<run>, on its topics and groups.
    @Mixin
    ConnectionOptions connection;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        DemoSettings settings = settings();
        StackConfig stackConfig = connection.stack(err::println);
        long begin = System.nanoTime();
        // The stages log the retries they recover from (a transaction still being committed, a broker
        // answering late) as warnings, which would scroll the bars away: unless SLUICE_LOG_LEVEL asks
        // for logs, they go to a file, named here and kept.
        Optional<StderrToFile> logs = logsToFile(err);
        try {
            return run(stackConfig, settings, begin, out, err);
        } finally {
            logs.ifPresent(StderrToFile::close);
        }
    }

    private Optional<StderrToFile> logsToFile(PrintWriter err) throws IOException {
        String level = System.getenv("SLUICE_LOG_LEVEL");
        if (level != null && !level.isBlank()) return Optional.empty();
        Path file = Files.createTempFile("sluice-demo-", ".log");
        err.println("logs: " + file + " (SLUICE_LOG_LEVEL=WARN to see them here)");
        err.flush();
        return Optional.of(StderrToFile.start(file));
    }

    private int run(StackConfig stackConfig, DemoSettings settings, long begin, PrintWriter out, PrintWriter err) throws Exception {
        EmbeddedStack stack = EmbeddedStack.start(stackConfig);
        AtomicBoolean closed = new AtomicBoolean();
        Runnable closeStack = () -> {
            if (closed.compareAndSet(false, true)) stack.close();
        };
        // Ctrl-C during the run ends the JVM: the stack's child processes must not outlive it.
        Thread hook = new Thread(closeStack, "sluice-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            double stackSeconds = (System.nanoTime() - begin) / 1e9;
            StackEndpoints endpoints = stack.endpoints();
            DemoNames names = new DemoNames(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()),
                    stackConfig.kafkaBootstrap().isPresent());
            DemoDatabase db = DemoDatabase.create(endpoints.postgres(), names.database());
            Path stateDir = TempDirs.create("sluice-demo-");
            DemoRateLimits rateLimits = new DemoRateLimits();
            try (DemoMonitor monitor = DemoMonitor.start(endpoints, db, names, rateLimits)) {
                // With --json stdout carries the summary alone.
                introduce(json ? err : out, settings, names, stackSeconds, endpoints, db, monitor.url());
                DemoSummary summary = runWorkloads(settings, endpoints, db, names, stateDir, begin, stackSeconds,
                        monitor.url(), rateLimits, err);
                if (json) out.println(summary.toJson()); else summary.printTable(out);
                out.flush();
                if (keepRunning) awaitStop(out, err, db, names);
                return summary.ok() ? 0 : 1;
            } finally {
                TempDirs.deleteRecursively(stateDir);
                if (keepDatabase) err.println("kept the PostgreSQL database " + names.database());
                else db.drop();
            }
        } finally {
            closeStack.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownInProgress) {
                // the hook runs or ran; closing twice is harmless
            }
        }
    }

    private DemoSummary runWorkloads(DemoSettings settings, StackEndpoints endpoints, DemoDatabase db, DemoNames names, Path stateDir,
                            long begin, double stackSeconds, Optional<String> monitorUrl, DemoRateLimits rateLimits,
                            PrintWriter err) throws InterruptedException {
        WorkloadBars bars = WorkloadBars.forTerminal(err);
        long start = System.nanoTime();
        List<WorkloadResult> results = Demo.run(Demo.workloads(new DemoContext(endpoints, db, names, settings, stateDir, rateLimits)),
                settings.sequential(), bars.interval(), bars::show);
        long end = System.nanoTime();
        return new DemoSummary(names.database(), stackSeconds, (end - start) / 1e9, (end - begin) / 1e9, monitorUrl, results);
    }

    private void introduce(PrintWriter out, DemoSettings settings, DemoNames names, double stackSeconds, StackEndpoints endpoints,
                           DemoDatabase db, Optional<String> monitorUrl) {
        out.printf(Locale.ROOT, "Stack up in %.1f s. Run %s writes to PostgreSQL database %s.%n", stackSeconds, names.runId(),
                names.database());
        DemoAddresses.print(out, endpoints, db.endpoint(), monitorUrl, showPassword);
        out.printf(Locale.ROOT, "Workloads%s: backfill of %,d DIDs over %,d hosts, ETL of %,d users, %,d DCB appends from %d clients%n",
                settings.sequential() ? " (one at a time)" : " (all at once)", settings.dids(), settings.hosts(), settings.users(),
                settings.dcbAppends(), settings.dcbClients());
        out.flush();
    }

    private void awaitStop(PrintWriter out, PrintWriter err, DemoDatabase db, DemoNames names) throws InterruptedException {
        StopSignals stop = StopSignals.install(err);
        out.println();
        out.println("Still running (--keep-running): the stack, the monitor and database " + names.database() + " ("
                + db.endpoint().jdbcUrl() + "). Press Ctrl-C to stop.");
        out.flush();
        stop.await();
        err.println("stopping ...");
    }

    private DemoSettings settings() {
        OptionValues.inRange(spec, "--dids", dids, 1, Integer.MAX_VALUE);
        OptionValues.inRange(spec, "--hosts", hosts, 1, Integer.MAX_VALUE);
        OptionValues.inRange(spec, "--users", users, 1, Integer.MAX_VALUE);
        OptionValues.inRange(spec, "--dcb-appends", dcbAppends, 1, Integer.MAX_VALUE);
        OptionValues.inRange(spec, "--dcb-clients", dcbClients, 1, Integer.MAX_VALUE);
        OptionValues.inRange(spec, "--timeout", timeoutSeconds, 1, Long.MAX_VALUE);
        if (hosts > dids) throw new ParameterException(spec.commandLine(), "--hosts (" + hosts + ") must not exceed --dids (" + dids + ")");
        try {
            return new DemoSettings(dids, hosts, users, dcbAppends, dcbClients, oneAtATime, Duration.ofSeconds(timeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
