package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * {@code sluice bench dcb}: conditional appends per second over HTTP at each client count, first
 * against the DCB store (decider, events sink, HTTP API on the stack), then against the baseline,
 * PostgreSQL alone behind the same HTTP layer ({@link PostgresBaseline}), on the same machine in
 * the same run. Prints a table, or with {@code --json} one JSON object (the fields every sluice
 * benchmark prints, plus one entry per client count). Uses a PostgreSQL database and topics of its
 * own, and drops the database when done.
 */
@Command(name = "dcb", description = "Conditional appends/s and latency: the DCB store vs PostgreSQL with a table lock.")
public final class DcbBenchCommand implements Callable<Integer> {

    private static final String BASELINE_SCHEMA = "baseline";
    private static final int REFERENCE_CLIENTS = 64;

    @Spec
    CommandSpec spec;

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
            return sluice.appendsPerSecond() / baseline.appendsPerSecond();
        }
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
        List<DcbLoad.Result> sluice = new ArrayList<>();
        List<DcbLoad.Result> baseline = new ArrayList<>();
        StackConfig stackConfig = StackConfig.fromEnvironment(System.getenv(), err::println);
        Path stateDir = TempDirs.create("sluice-bench-dcb-");
        try (EmbeddedStack stack = EmbeddedStack.start(stackConfig)) {
            PostgresEndpoint server = stack.endpoints().postgres();
            PostgresEndpoint pg = server.withDatabase("sluice_bench_dcb_" + run);
            DcbApiConfig api = DcbApiConfig.defaults(0, stack.endpoints().bootstrapServers(), stack.endpoints().registryUrl(),
                    pg.jdbcUrl(), pg.user(), pg.password());
            database(server, "CREATE DATABASE " + pg.database());
            try {
                DcbServiceConfig config = DcbServiceConfig.defaults(api).withSuffix("bench-" + run).withStateDir(stateDir)
                        .withCommitInterval(Duration.ofMillis(commitIntervalMs)).withOnOtherLog(OnOtherLog.RESET);
                try (DcbService service = DcbService.start(config, err::println)) {
                    measure("sluice", service.api().baseUri(), run, each, sluice, err);
                }
                try (PostgresBaseline pgOnly = PostgresBaseline.start(api.withSchema(BASELINE_SCHEMA), 16)) {
                    measure(PostgresBaseline.NAME, pgOnly.baseUri(), run, each, baseline, err);
                }
            } finally {
                database(server, "DROP DATABASE IF EXISTS " + pg.database() + " WITH (FORCE)");
            }
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < sluice.size(); i++) points.add(new Point(sluice.get(i), baseline.get(i)));
        if (json) {
            out.println(json(points));
        } else {
            table(points, out);
        }
        out.flush();
        return 0;
    }

    private void measure(String store, java.net.URI base, String run, Duration each, List<DcbLoad.Result> results,
                         PrintWriter err) throws InterruptedException {
        err.println(store + ": warming up");
        DcbLoad.run(base, run + "-warm", 8, Duration.ofSeconds(3));
        for (int n : clients) {
            err.println(store + ": " + n + " clients for " + each.toSeconds() + " s");
            DcbLoad.Result result = DcbLoad.run(base, run + "-" + n, n, each);
            if (result.errors() > 0) err.println(store + ": " + result.errors() + " errors, the first: " + result.firstError());
            results.add(result);
        }
    }

    private static void database(PostgresEndpoint server, String sql) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static String json(List<Point> points) {
        ObjectMapper mapper = new ObjectMapper();
        Point reference = points.stream().filter(p -> p.sluice().clients() == REFERENCE_CLIENTS).findFirst()
                .orElse(points.get(points.size() - 1));
        ObjectNode root = mapper.createObjectNode();
        root.put("workload", "dcb");
        // One conditional append of one event per request: items and rows are the same here.
        root.put("items", reference.sluice().appends());
        root.put("rows", reference.sluice().appends());
        root.put("seconds", round(reference.sluice().seconds()));
        root.put("items_per_s", round(reference.sluice().appendsPerSecond()));
        root.put("rows_per_s", round(reference.sluice().appendsPerSecond()));
        root.put("peak_heap_mb", peakHeapMb());
        ObjectNode baseline = root.putObject("baseline");
        baseline.put("name", PostgresBaseline.NAME);
        // The time the baseline needs for the same number of appends at its measured rate.
        baseline.put("seconds", round(reference.sluice().appends() / reference.baseline().appendsPerSecond()));
        baseline.put("items_per_s", round(reference.baseline().appendsPerSecond()));
        root.put("ratio_vs_baseline", round(reference.ratio()));
        root.put("reference_clients", reference.sluice().clients());
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("load_average_1m", round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        ArrayNode runs = root.putArray("runs");
        for (Point p : points) {
            ObjectNode r = runs.addObject();
            r.put("clients", p.sluice().clients());
            r.put("appends_per_s", round(p.sluice().appendsPerSecond()));
            r.put("p50_ms", round(p.sluice().p50Millis()));
            r.put("p99_ms", round(p.sluice().p99Millis()));
            r.put("condition_failed", p.sluice().conditionFailed());
            r.put("errors", p.sluice().errors());
            r.put("baseline_appends_per_s", round(p.baseline().appendsPerSecond()));
            r.put("baseline_p50_ms", round(p.baseline().p50Millis()));
            r.put("baseline_p99_ms", round(p.baseline().p99Millis()));
            r.put("baseline_errors", p.baseline().errors());
            r.put("ratio_vs_baseline", round(p.ratio()));
        }
        return root.toString();
    }

    private static void table(List<Point> points, PrintWriter out) {
        out.printf("%8s  %12s %9s %9s  %12s %9s %9s  %7s%n", "clients", "appends/s", "p50 ms", "p99 ms", "baseline/s",
                "p50 ms", "p99 ms", "ratio");
        for (Point p : points) {
            out.printf("%8d  %12.0f %9.1f %9.1f  %12.0f %9.1f %9.1f  %6.1fx%n", p.sluice().clients(),
                    p.sluice().appendsPerSecond(), p.sluice().p50Millis(), p.sluice().p99Millis(),
                    p.baseline().appendsPerSecond(), p.baseline().p50Millis(), p.baseline().p99Millis(), p.ratio());
        }
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
