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
import io.sluice.dcb.api.PostgresBaseline.Design;
import io.sluice.bench.chart.Chart;
import io.sluice.bench.chart.Figure;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * {@code sluice bench dcb}: conditional appends per second over HTTP at each client count, then
 * reads per second (one user's events by tag, {@value #READ_CLIENTS} clients), first against the
 * DCB store (decider, events sink, HTTP API on the stack), then against each baseline, PostgreSQL
 * alone behind the same HTTP layer ({@link PostgresBaseline}): advisory locks by tag and type
 * (go-crablet's design, the strongest, the headline baseline) and one table lock per append; on the
 * same machine in the same run. Prints a table, or with {@code --json} one JSON object (the fields
 * every sluice benchmark prints, the reads, one {@code baselines} entry per baseline and one
 * {@code by_clients} entry per client count); {@code --chart} writes appends/s and p50 latency by
 * client count as SVG. Uses a PostgreSQL database and topics of its own, and drops the database when done.
 */
@Command(name = "dcb", description = "Conditional appends/s and latency: the DCB store vs PostgreSQL alone "
        + "(advisory locks by tag and type, and a table lock).")
public final class DcbBenchCommand implements Callable<Integer> {

    private static final String BASELINE_SCHEMA = "baseline";
    private static final int REFERENCE_CLIENTS = 64;
    private static final int READ_CLIENTS = 16;
    private static final int BASELINE_POOL = 16;
    /** The baselines in the order they run and print; the first is the headline one. */
    private static final List<Design> BASELINES = List.of(Design.ADVISORY_LOCKS, Design.TABLE_LOCK);

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

    @Option(names = "--chart", paramLabel = "FILE.svg",
            description = "Also write an SVG chart to FILE.svg: appends/s and p50 latency by client count, each store side by side.")
    Path chart;

    /** What one store measured: appends per client count, then reads. */
    private record Measured(String store, List<DcbLoad.Result> appends, DcbLoad.Result reads) {

        DcbLoad.Result at(int index) {
            return appends.get(index);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (clients.stream().anyMatch(n -> n < 1) || seconds < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--clients and --seconds must be at least 1");
        }
        if (chart != null) {
            try {
                Figure.requireSvgName(chart);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        double loadAtStart = loadAverage();
        Duration each = Duration.ofSeconds(seconds);
        String run = UUID.randomUUID().toString().substring(0, 8);
        Measured sluice;
        List<Measured> baselines = new ArrayList<>();
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
                for (Design design : BASELINES) {
                    try (PostgresBaseline pgOnly = PostgresBaseline.start(api.withSchema(BASELINE_SCHEMA), BASELINE_POOL, design)) {
                        baselines.add(measure(design.label(), pgOnly.baseUri(), run, each, err));
                    }
                }
            } finally {
                database(server, "DROP DATABASE IF EXISTS " + pg.database() + " WITH (FORCE)");
            }
        } finally {
            TempDirs.deleteRecursively(stateDir);
        }
        if (chart != null) {
            chart(sluice, baselines).writeSvg(chart);
            err.println("chart: " + chart);
        }
        if (json) {
            out.println(json(sluice, baselines, loadAtStart));
        } else {
            table(sluice, baselines, loadAtStart, out);
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
        int appendClients = results.get(referenceIndex(results)).clients();
        err.println(store + ": reads, " + READ_CLIENTS + " clients for " + each.toSeconds() + " s");
        DcbLoad.Result reads = DcbLoad.reads(base, run + "-" + appendClients, appendClients, READ_CLIENTS, each);
        return new Measured(store, results, reportErrors(store, reads, err));
    }

    private static DcbLoad.Result reportErrors(String store, DcbLoad.Result result, PrintWriter err) {
        if (result.errors() > 0) err.println(store + ": " + result.errors() + " errors, the first: " + result.firstError());
        return result;
    }

    /** The index of the run at {@value #REFERENCE_CLIENTS} clients, or of the last one. */
    private static int referenceIndex(List<DcbLoad.Result> results) {
        for (int i = 0; i < results.size(); i++) if (results.get(i).clients() == REFERENCE_CLIENTS) return i;
        return results.size() - 1;
    }

    private static void database(PostgresEndpoint server, String sql) throws SQLException {
        try (Connection c = server.connect(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static Figure chart(Measured sluice, List<Measured> baselines) {
        List<String> xs = sluice.appends().stream().map(r -> Integer.toString(r.clients())).toList();
        Map<String, double[]> throughput = new LinkedHashMap<>();
        Map<String, double[]> latency = new LinkedHashMap<>();
        for (Measured m : concat(sluice, baselines)) {
            throughput.put(m.store(), m.appends().stream().mapToDouble(DcbLoad.Result::perSecond).toArray());
            latency.put(m.store(), m.appends().stream().mapToDouble(DcbLoad.Result::p50Millis).toArray());
        }
        return Figure.of(
                Chart.bars("DCB: conditional appends/s over HTTP", "concurrent clients", "appends/s (higher is faster)", xs, throughput),
                Chart.lines("DCB: append latency, median", "concurrent clients", "p50 ms (lower is faster)", xs, latency));
    }

    private static List<Measured> concat(Measured sluice, List<Measured> baselines) {
        List<Measured> all = new ArrayList<>();
        all.add(sluice);
        all.addAll(baselines);
        return all;
    }

    private static String json(Measured sluice, List<Measured> baselines, double loadAtStart) {
        ObjectMapper mapper = new ObjectMapper();
        int ref = referenceIndex(sluice.appends());
        DcbLoad.Result reference = sluice.at(ref);
        Measured first = baselines.getFirst();
        ObjectNode root = mapper.createObjectNode();
        root.put("workload", "dcb");
        // One conditional append of one event per request: items and rows are the same here.
        root.put("items", reference.answered());
        root.put("rows", reference.answered());
        root.put("seconds", round(reference.seconds()));
        root.put("items_per_s", round(reference.perSecond()));
        root.put("rows_per_s", round(reference.perSecond()));
        root.put("peak_heap_mb", peakHeapMb());
        root.set("baseline", baselineAt(mapper, first, reference, ref));
        root.put("ratio_vs_baseline", ratio(reference.perSecond(), first.at(ref).perSecond()));
        ArrayNode all = root.putArray("baselines");
        for (Measured b : baselines) all.add(baselineAt(mapper, b, reference, ref));
        root.put("reference_clients", reference.clients());
        root.put("cpus", Runtime.getRuntime().availableProcessors());
        root.put("load_average_1m_at_start", round(loadAtStart));
        root.put("load_average_1m", round(loadAverage()));
        root.put("read_clients", sluice.reads().clients());
        root.put("reads_per_s", round(sluice.reads().perSecond()));
        root.put("read_p50_ms", round(sluice.reads().p50Millis()));
        root.put("read_p99_ms", round(sluice.reads().p99Millis()));
        root.put("read_errors", sluice.reads().errors());
        root.put("baseline_reads_per_s", round(first.reads().perSecond()));
        root.put("baseline_read_p50_ms", round(first.reads().p50Millis()));
        root.put("baseline_read_errors", first.reads().errors());
        ArrayNode byClients = root.putArray("by_clients");
        for (int i = 0; i < sluice.appends().size(); i++) {
            DcbLoad.Result s = sluice.at(i);
            DcbLoad.Result b = first.at(i);
            ObjectNode r = byClients.addObject();
            r.put("clients", s.clients());
            r.put("appends_per_s", round(s.perSecond()));
            r.put("p50_ms", round(s.p50Millis()));
            r.put("p99_ms", round(s.p99Millis()));
            r.put("condition_failed", s.conditionFailed());
            r.put("errors", s.errors());
            r.put("baseline_appends_per_s", round(b.perSecond()));
            r.put("baseline_p50_ms", round(b.p50Millis()));
            r.put("baseline_p99_ms", round(b.p99Millis()));
            r.put("baseline_errors", b.errors());
            r.put("ratio_vs_baseline", ratio(s.perSecond(), b.perSecond()));
            ObjectNode each = r.putObject("baselines");
            for (Measured m : baselines) {
                ObjectNode e = each.putObject(m.store());
                e.put("appends_per_s", round(m.at(i).perSecond()));
                e.put("p50_ms", round(m.at(i).p50Millis()));
                e.put("p99_ms", round(m.at(i).p99Millis()));
                e.put("errors", m.at(i).errors());
                e.put("ratio_vs_baseline", ratio(s.perSecond(), m.at(i).perSecond()));
            }
        }
        return root.toString();
    }

    /** A baseline at the reference client count: its name, rate, and the time it needs for sluice's appends. */
    private static ObjectNode baselineAt(ObjectMapper mapper, Measured baseline, DcbLoad.Result reference, int ref) {
        ObjectNode node = mapper.createObjectNode();
        node.put("name", baseline.store());
        // The time the baseline needs for the same number of appends at its measured rate.
        node.put("seconds", round(reference.answered() / baseline.at(ref).perSecond()));
        node.put("items_per_s", round(baseline.at(ref).perSecond()));
        node.put("ratio_vs_baseline", ratio(reference.perSecond(), baseline.at(ref).perSecond()));
        node.put("reads_per_s", round(baseline.reads().perSecond()));
        return node;
    }

    private static void table(Measured sluice, List<Measured> baselines, double loadAtStart, PrintWriter out) {
        out.printf("%8s  %-24s %12s %9s %9s  %7s%n", "clients", "store", "appends/s", "p50 ms", "p99 ms", "ratio");
        for (int i = 0; i < sluice.appends().size(); i++) {
            DcbLoad.Result s = sluice.at(i);
            row(out, Integer.toString(s.clients()), sluice.store(), s, "");
            for (Measured b : baselines) row(out, "", b.store(), b.at(i), String.format("%6.1fx", s.perSecond() / b.at(i).perSecond()));
        }
        DcbLoad.Result reads = sluice.reads();
        row(out, "reads", sluice.store(), reads, "");
        for (Measured b : baselines) {
            row(out, "", b.store(), b.reads(), String.format("%6.1fx", reads.perSecond() / b.reads().perSecond()));
        }
        out.printf("ratio: sluice's rate / the baseline's (above 1 sluice is faster); reads by %d clients%n", reads.clients());
        out.printf("baselines (PostgreSQL alone, same HTTP layer): %s: advisory locks by tag and type, parallel unless conflicting;"
                + " %s: LOCK TABLE ... IN EXCLUSIVE MODE per append%n", Design.ADVISORY_LOCKS.label(), Design.TABLE_LOCK.label());
        out.printf("machine: %d cpus, load average %.1f at start, %.1f at end%n", Runtime.getRuntime().availableProcessors(),
                loadAtStart, loadAverage());
    }

    private static void row(PrintWriter out, String first, String store, DcbLoad.Result r, String ratio) {
        out.printf("%8s  %-24s %12.0f %9.1f %9.1f  %7s%n", first, store, r.perSecond(), r.p50Millis(), r.p99Millis(), ratio);
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
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

    /** sluice's rate over a baseline's, to 3 places as every sluice benchmark prints its ratio (0.1 would hide 0.06 vs 0.14). */
    private static double ratio(double sluicePerSecond, double baselinePerSecond) {
        return Math.round(sluicePerSecond / baselinePerSecond * 1000) / 1000.0;
    }
}
