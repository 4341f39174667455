package io.sluice.cli.bench;

import io.sluice.bench.soak.Soak;
import io.sluice.bench.soak.SoakReport;
import io.sluice.bench.soak.SoakSettings;
import io.sluice.stack.StackConfig;
import io.sluice.stack.TempDirs;
import io.sluice.stack.fault.FaultRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice bench soak}: runs {@link Soak} and prints its {@link SoakReport}: the fault table on stdout,
 * or the JSON object with {@code --json}; progress and one line per fault on stderr. Exit code 1 when
 * anything was lost or duplicated, a workload did not recover from a fault, or another check failed.
 */
@Command(name = "soak",
        description = {
                "Soak the three workloads under a repeating schedule of faults, then check that nothing was lost or duplicated.",
                "Starts a Kafka broker in a process of its own (so it can be restarted over its log directory), the registry "
                        + "and PostgreSQL (SLUICE_REGISTRY_URL and SLUICE_PG_URL name given ones), and each workload's "
                        + "components in JVMs of their own, connected to PostgreSQL through a proxy the soak controls. "
                        + "The load: backfill DIDs in bursts over simulated PDS hosts with a binding rate limit; ETL "
                        + "creates, updates and deletes as Debezium change events; DCB conditional appends from "
                        + "several clients, each recording what it was told.",
                "Every --fault-every-s seconds, in turn: a broker restart (SIGTERM, then started again), a PostgreSQL "
                        + "outage of --outage-s seconds, and a SIGKILL and restart of one component (each in turn). "
                        + "No fault comes in the last 30 s of the load. After --minutes the load stops, PostgreSQL "
                        + "drains (up to 5 minutes) and the fault suite's equality checks run.",
                "Prints one line per fault as it happens (work in flight, injected, recovery per workload), a progress "
                        + "line every 30 s, and at the end one FAULT row per workload: sent, most in flight at a fault, "
                        + "faults, lost, duplicated, longest recovery, component restarts. Exit code 1 when anything was "
                        + "lost or duplicated, or a workload's PostgreSQL did not move within 3 minutes of a fault. "
                        + "Not a CI test: it takes --minutes plus a few minutes of start-up and drain."},
        footerHeading = "%nExamples:%n",
        footer = {"  sluice bench soak --minutes 30",
                "  sluice bench soak --minutes 3 --fault-every-s 40 --json > soak.json"})
public final class SoakBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--minutes", paramLabel = "N", defaultValue = "30", description = "How long the load runs, faults included (default: ${DEFAULT-VALUE}).")
    int minutes;

    @Option(names = "--fault-every-s", paramLabel = "S", defaultValue = "120", description = "Seconds between faults (default: ${DEFAULT-VALUE}).")
    int faultEverySeconds;

    @Option(names = "--outage-s", paramLabel = "S", defaultValue = "10", description = "Length of a PostgreSQL outage (default: ${DEFAULT-VALUE}).")
    int outageSeconds;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--keep-logs", description = "Keep the broker's log directory and the components' logs even when the soak passes.")
    boolean keepLogs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SoakSettings settings;
        try {
            settings = new SoakSettings(Duration.ofMinutes(minutes), Duration.ofSeconds(faultEverySeconds),
                    Duration.ofSeconds(outageSeconds), seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        StackConfig env = StackConfig.fromEnvironment();
        if (env.kafkaBootstrap().isPresent()) err.println("soak: SLUICE_KAFKA_BOOTSTRAP ignored: the soak restarts a broker of its own");
        Path dir = TempDirs.create("sluice-soak-");
        SoakReport report = Soak.run(settings, new StackConfig(Optional.empty(), env.registryUrl(), env.pgUrl(), line -> { }), dir,
                line -> {
                    err.println(line);
                    err.flush();
                });
        if (json) {
            out.println(report.toJson());
        } else {
            out.println(FaultRow.HEADER);
            for (FaultRow row : report.rows()) out.println(row.line());
            for (String problem : report.problems()) out.println("PROBLEM | " + problem);
            out.println(report.passed() ? "soak passed: nothing lost, nothing duplicated" : "soak FAILED");
        }
        out.flush();
        if (report.passed() && !keepLogs) {
            TempDirs.deleteRecursively(dir);
        } else {
            err.println("soak: logs kept in " + dir.resolve("logs"));
        }
        return report.passed() ? 0 : 1;
    }
}
