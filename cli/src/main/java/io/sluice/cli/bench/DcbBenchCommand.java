package io.sluice.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.cli.ConnectionOptions;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.api.DcbLoad;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.dcb.api.PostgresBaseline;
import io.sluice.sinks.dcb.EventLogGuard.OnOtherLog;
import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackConfig;
import io.sluice.stack.TempDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code sluice bench dcb}: conditional appends per second over HTTP at each client count, then
 * reads per second (one user's events by tag, {@value #READ_CLIENTS} clients), first against the
 * DCB store (decider, events sink, HTTP API on the stack), then against the baseline, PostgreSQL
 * alone behind the same HTTP layer ({@link PostgresBaseline}), on the same machine in the same
 * run. Prints a table, or with {@code --json} one JSON object (the fields every sluice benchmark
 * prints, the reads, and one {@code by_clients} entry per client count). Uses a PostgreSQL
 * database and topics of its own, and drops the database when done.
 */
@Command(name = "dcb", description = "Conditional appends/s and latency: the DCB store vs PostgreSQL with a table lock.")
public final class DcbBenchCommand implements Callable<Integer> {

    private static final String BASELINE_SCHEMA = "baseline";
    private static final int REFERENCE_CLIENTS = 64;
    private static final int READ_CLIENTS = 16;

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--clients", split = ",", paramLabel = "N", defaultValue = "1,16,64,256",
            description = "Client counts to measure, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<Integer> clients;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "10", description = "Seconds per client count. Default: ${DEFAULT-VALUE}.")
    int seconds;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "5",
            description = "The decider's commit interval. Default: ${DEFAULT-VALUE}.")
    long commitIntervalMs;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    private record Point(DcbLoad.Result sluice, DcbLoad.Result baseline) {
        double ratio() {
            return sluice.perSecond() / baseline.perSecond();
        }
    }

    /** What one store measured: appends per client count, then reads. */
    private record Measured(List<DcbLoad.Result> appends, DcbLoad.Result reads) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (clients.stream().anyMatch(n -> n < 1) || seconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--clients and --seconds must be at least 1");
        }
        Duration each = Duration.ofSeconds(seconds);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Measured sluice;
        Measured baseline;
        StackConfig stackConfig = connection.stack(err::println);
        Path stateDir = TempDirs.create("sluice-bench-dcb-");
        try (EmbeddedStack stack = EmbeddedStack.start(stackConfig)) {
            PostgresEndpoint server = stack.endpoints().postgres();
            PostgresEndpoint pg = server.withDatabase("sluice_bench_dcb_" + run);
            DcbApiConfig api = DcbApiConfig.defaults(0, stack.endpoints().connection(),
                    pg.jdbcUrl(), pg.user(), pg.password());
            database(server, "CREATE DATABASE " + pg.database());
            try {
                DcbServiceConfig config = DcbServiceConfig.defaults(api).withSuffix("bench-" + run).withStateDir(stateDir)
                        .withCommitInterval(Duration.ofMillis(commitIntervalMs)).withOnOtherLog(OnOtherLog.RESET);
                try (DcbService service = DcbService.start(config, err::println)) {
                    sluice = measure("sluice", service.api().baseUri(), run, each, err);
                }
                try (PostgresBaseline pgOnly = PostgresBaseline.start(api.withSchema(BASELINE_SCHEMA), 16)) {
                    baseline = measure(PostgresBaseline.NAME, pgOnly.baseUri(), run, each, err);
                }
            } finally {
                database(server, "DROP DATABASE IF EXISTS " + pg.database() + " WITH (FORCE)");
            }
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < sluice.appends().size(); i++) points.add(new Point(sluice.appends().get(i), baseline.appends().get(i)));
        Point reads = new Point(sluice.reads(), baseline.reads());
        if (json) {
            out.println(json(points, reads));
        } else {
            table(points, reads, out);
        }
        out.flush();
        return 0;
    }

    private Measured measure(String store, java.net.URI base, String run, Duration each, PrintWriter err)
            throws InterruptedException {
        err.println(store + ": warming up");
        DcbLoad.appends(base, run + "-warm", 8, Duration.ofSeconds(3));
        List<DcbLoad.Result> results = new ArrayList<>();
        for (int n : clients) {
            err.println(store + ": " + n + " clients for " + each.toSeconds() + " s");
            results.add(reportErrors(store, DcbLoad.appends(base, run + "-" + n, n, each), err));
        }
        // Reads of users the reference run appended (each of its clients appended at least one).
        int appendClients = reference(results).clients();
        err.println(store + ": reads, " + READ_CLIENTS + " clients for " + each.toSeconds() + " s");
        DcbLoad.Result reads = DcbLoad.reads(base, run + "-" + appendClients, appendClients, READ_CLIENTS, each);
        return new Measured(results, reportErrors(store, reads, err));
    }

    private static DcbLoad.Result reportErrors(String store, DcbLoad.Result result, PrintWriter err) {
        if (result.errors() > 0) err.println(store + ": " + result.errors() + " errors, the first: " + result.firstError());
        return result;
    }

    /** The run at {@value #REFERENCE_CLIENTS} clients, or the last one. */
    private static DcbLoad.Result reference(List<DcbLoad.Result> results) {
        return results.stream().filter(r -> r.clients() == REFERENCE_CLIENTS).findFirst().orElse(results.get(results.size() - 1));
    }

    private static void database(PostgresEndpoint server, String sql) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String json(List<Point> points, Point reads) {
        ObjectMapper mapper = new ObjectMapper();
        Point reference = points.stream().filter(p -> p.sluice().clients() == REFERENCE_CLIENTS).findFirst()
                .orElse(points.get(points.size() - 1));
        ObjectNode root = mapper.createObjectNode();
        root.put("workload", "dcb");
        // One conditional append of one event per request: items and rows are the same here.
        root.put("items", reference.sluice().answered());
        root.put("rows", reference.sluice().answered());
        root.put("seconds", round(reference.sluice().seconds()));
        root.put("items_per_s", round(reference.sluice().perSecond()));
        root.put("rows_per_s", round(reference.sluice().perSecond()));
        root.put("peak_heap_mb", peakHeapMb());
        ObjectNode baseline = root.putObject("baseline");
        baseline.put("name", PostgresBaseline.NAME);
        // The time the baseline needs for the same number of appends at its measured rate.
        baseline.put("seconds", round(reference.sluice().answered() / reference.baseline().perSecond()));
        baseline.put("items_per_s", round(reference.baseline().perSecond()));
        root.put("ratio_vs_baseline", round(reference.ratio()));
        root.put("reference_clients", reference.sluice().clients());
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("load_average_1m", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        root.put("read_clients", reads.sluice().clients());
        root.put("reads_per_s", round(reads.sluice().perSecond()));
        root.put("read_p50_ms", round(reads.sluice().p50Millis()));
        root.put("read_p99_ms", round(reads.sluice().p99Millis()));
        root.put("read_errors", reads.sluice().errors());
        root.put("baseline_reads_per_s", round(reads.baseline().perSecond()));
        root.put("baseline_read_p50_ms", round(reads.baseline().p50Millis()));
        root.put("baseline_read_errors", reads.baseline().errors());
        ArrayNode byClients = root.putArray("by_clients");
        for (Point p : points) {
            ObjectNode r = byClients.addObject();
            r.put("clients", p.sluice().clients());
            r.put("appends_per_s", round(p.sluice().perSecond()));
            r.put("p50_ms", round(p.sluice().p50Millis()));
            r.put("p99_ms", round(p.sluice().p99Millis()));
            r.put("condition_failed", p.sluice().conditionFailed());
            r.put("errors", p.sluice().errors());
            r.put("baseline_appends_per_s", round(p.baseline().perSecond()));
            r.put("baseline_p50_ms", round(p.baseline().p50Millis()));
            r.put("baseline_p99_ms", round(p.baseline().p99Millis()));
            r.put("baseline_errors", p.baseline().errors());
            r.put("ratio_vs_baseline", round(p.ratio()));
        }
        return root.toString();
    }

    private static void table(List<Point> points, Point reads, PrintWriter out) {
        out.printf("%8s  %12s %9s %9s  %12s %9s %9s  %7s%n", "clients", "appends/s", "p50 ms", "p99 ms", "baseline/s",
                "p50 ms", "p99 ms", "ratio");
        for (Point p : points) {
            out.printf("%8d  %12.0f %9.1f %9.1f  %12.0f %9.1f %9.1f  %6.1fx%n", p.sluice().clients(),
                    p.sluice().perSecond(), p.sluice().p50Millis(), p.sluice().p99Millis(),
                    p.baseline().perSecond(), p.baseline().p50Millis(), p.baseline().p99Millis(), p.ratio());
        }
        out.printf("%8s  %12.0f %9.1f %9.1f  %12.0f %9.1f %9.1f  %6.1fx  (reads/s, %d clients)%n", "reads",
                reads.sluice().perSecond(), reads.sluice().p50Millis(), reads.sluice().p99Millis(),
                reads.baseline().perSecond(), reads.baseline().p50Millis(), reads.baseline().p99Millis(), reads.ratio(),
                reads.sluice().clients());
        out.printf("baseline: %s (PostgreSQL alone: LOCK TABLE ... IN EXCLUSIVE MODE, condition query, INSERT; same HTTP layer)%n",
                PostgresBaseline.NAME);
        out.printf("machine: %d cpus, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static long peakHeapMb() {
        long bytes = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) bytes += pool.getPeakUsage().getUsed();
        }
        return bytes / (1024 * 1024);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
