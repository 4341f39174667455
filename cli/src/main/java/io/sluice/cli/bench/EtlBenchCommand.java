package io.sluice.cli.bench;

import io.sluice.bench.BenchResult;
import io.sluice.bench.etl.EtlBenchSettings;
import io.sluice.bench.etl.EtlBenchmark;
import io.sluice.bench.OnEmbeddedStack;
import io.sluice.bench.PathChart;
import io.sluice.bench.chart.Figure;
import io.sluice.cli.ConnectionOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code sluice bench etl}: runs {@link EtlBenchmark} on the embedded stack (or the services the
 * {@code SLUICE_*} variables name) and prints its {@link BenchResult}: a summary on stdout, or the JSON
 * object with {@code --json}. Progress goes to stderr.
 */
@Command(name = "etl",
        description = {
                "Benchmark the MongoDB CDC ETL: change events -> flattener -> etl sink -> PostgreSQL.",
                "Publishes Debezium change events (create) for --users generated users, runs the flattener "
                        + "(exactly_once_v2) and the ETL sink, and times from the first event produced to the "
                        + "last row committed. In the same run, the direct baseline (the seed design: 500-row batched "
                        + "INSERTs, 2 x CPU workers) loads the same users into a schema of its own twice: from the change "
                        + "events' own extended-JSON documents, which its workers parse and flatten (the baseline, "
                        + "starting where a MongoDB cursor would), and from BSON documents already in memory (the second "
                        + "row of baselines). Warm-up runs of all come first; ratio_vs_baseline is baseline seconds / "
                        + "sluice seconds, so above 1 means sluice is faster.",
                "details.cpu_s and details.baseline_cpu_s give the CPU seconds of each stage during the measured "
                        + "run (this JVM's threads by stage, its GC and JIT threads, the PostgreSQL backends when the "
                        + "server is local): on a shared machine they say more about where the work is than wall times; "
                        + "load_average says how shared it was.",
                "The tuning options exist to measure alternatives; their defaults are the best measured."},
        footerHeading = "%nExample:%n",
        footer = "  sluice bench etl --users 10000 --json --chart docs/bench/etl.svg")
public final class EtlBenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--users", paramLabel = "N", defaultValue = "10000", description = "Users (default: ${DEFAULT-VALUE}, about 345,000 rows).")
    int users;

    @Option(names = "--json", description = "Print one JSON object instead of the summary.")
    boolean json;

    @Option(names = "--chart", paramLabel = "FILE.svg", description = "Also write an SVG chart of rows/s per path (sluice and each baseline) to FILE.svg.")
    Path chart;

    @Option(names = "--warmup", paramLabel = "RUNS", defaultValue = "1", description = "Warm-up runs before the measured one (default: ${DEFAULT-VALUE}).")
    int warmups;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Generator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "4", description = "Partitions of the CDC and rows topics (default: ${DEFAULT-VALUE}).")
    int partitions;

    // One thread: on 2 cores shared with the broker, the sinks and PostgreSQL, a second stream thread
    // (its own consumer, producer and transactions) cost more CPU in all three than it gave back.
    @Option(names = "--flattener-threads", paramLabel = "N", defaultValue = "1", description = "Flattener stream threads (default: ${DEFAULT-VALUE}).")
    int flattenerThreads;

    @Option(names = "--commit-interval-ms", paramLabel = "MS", defaultValue = "100", description = "Flattener commit interval (default: ${DEFAULT-VALUE}).")
    long commitIntervalMs;

    @Option(names = "--sink-instances", paramLabel = "N", defaultValue = "2", description = "ETL sink instances in one group (default: ${DEFAULT-VALUE}).")
    int sinkInstances;

    @Option(names = "--sink-batch", paramLabel = "N", defaultValue = "2000", description = "Bundles per sink transaction (default: ${DEFAULT-VALUE}).")
    int sinkBatch;

    @Option(names = "--sink-flush-ms", paramLabel = "MS", defaultValue = "100", description = "Sink flush interval (default: ${DEFAULT-VALUE}).")
    long sinkFlushMs;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EtlBenchSettings settings;
        try {
            if (commitIntervalMs < 1 || sinkFlushMs < 1) throw new IllegalArgumentException("intervals must be >= 1 ms");
            if (chart != null) Figure.requireSvgName(chart);
            settings = new EtlBenchSettings(users, seed, warmups, partitions, flattenerThreads, Duration.ofMillis(commitIntervalMs),
                    sinkInstances, sinkBatch, Duration.ofMillis(sinkFlushMs));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        EtlBenchSettings chosen = settings;
        return OnEmbeddedStack.run(connection.stack(line -> { }), (stack, progress) -> {
            BenchResult result = new EtlBenchmark(stack, chosen, progress).run();
            if (chart != null) {
                PathChart.rowsPerSecond(result, String.format("ETL: %,d users, %,d rows, into PostgreSQL", result.items(), result.rows()),
                        "users", "rows/s").writeSvg(chart);
                progress.accept("chart: " + chart);
            }
            return result;
        }, json, out, err);
    }
}
