package io.sluice.bench.etl;

import io.sluice.bench.BenchResult;
import io.sluice.bench.HeapPeak;
import io.sluice.bench.JvmSettle;
import io.sluice.bench.StageCpu;
import io.sluice.etl.flatten.UserFlattener;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.sinks.etl.baseline.DirectBaseline;
import io.sluice.stack.StackEndpoints;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ETL benchmark: the same generated users through sluice's Kafka path ({@link KafkaPathRun}) and
 * through the direct baseline ({@link DirectBaseline}: the seed design, 500-row multi-row INSERTs from
 * 2×CPU workers) twice, once from the change events' own extended-JSON text (parsed and flattened by
 * the workers, as a MongoDB cursor's output would be) and once from BSON documents already in memory
 * ({@link BaselineInput}), each into a schema of its own on the same PostgreSQL, in the same JVM.
 * Warm-up runs of all three come first; the last run is the measured one.
 *
 * <p>Guarantees an honest result: before a run is counted, each schema must hold exactly as many rows
 * as the users flatten to, or the benchmark fails (EtlPipelineIT checks the contents themselves). Nothing is cached between runs: each pass
 * gets new topics, a new Streams application id, a new sink group and freshly created tables.
 */
public final class EtlBenchmark {

    static final List<String> TABLES = List.of("users", "addresses", "profiles", "education", "experience", "preferences",
            "settings", "activity_log", "transactions", "messages", "attachments", "social_media", "posts", "groups", "large_data");

    private final StackEndpoints stack;
    private final EtlBenchSettings settings;
    private final Consumer<String> progress;

    public EtlBenchmark(StackEndpoints stack, EtlBenchSettings settings, Consumer<String> progress) {
        this.stack = stack;
        this.settings = settings;
        this.progress = progress;
    }

    public BenchResult run() throws Exception {
        double loadAtStart = loadAverage();
        progress.accept("generating " + settings.users() + " users (seed " + settings.seed() + ")");
        UserGenerator generator = new UserGenerator(settings.seed());
        long expectedRows = 0;
        for (long id = 1; id <= settings.users(); id++) {
            expectedRows += UserFlattener.rowCount(UserFlattener.flatten(generator.user(id), Instant.EPOCH));
        }

        SchemaRegistryClient registry = HttpSchemaRegistryClient.create(stack.connection().requireRegistry());
        // Names of this process's own, so that two benchmarks on one server never touch each other's tables.
        String runPrefix = Long.toString(System.currentTimeMillis(), 36);
        String sluiceSchema = "sluice_bench_" + runPrefix;
        String baselineSchema = "sluice_bench_baseline_" + runPrefix;
        KafkaPathRun kafkaPath = new KafkaPathRun(stack, registry, settings, sluiceSchema);
        // The seed design's worker count: twice the CPUs.
        DirectBaseline baseline = new DirectBaseline(new DirectBaseline.Config(stack.postgres().jdbcUrl(),
                stack.postgres().user(), stack.postgres().password(), baselineSchema, 2 * Runtime.getRuntime().availableProcessors()));

        List<BaselineInput<?>> inputs = List.of(BaselineInput.extendedJson(settings), BaselineInput.bsonDocuments(settings));
        KafkaPathRun.Timing sluice = null;
        KafkaPathRun.Timing sluiceCold = null;
        Map<String, BaselineTiming> measured = new LinkedHashMap<>();
        Map<String, BaselineTiming> cold = new LinkedHashMap<>();
        try {
            for (int run = 0; run <= settings.warmups(); run++) {
                boolean last = run == settings.warmups();
                String label = last ? "measured run" : "warm-up " + (run + 1) + "/" + settings.warmups();
                dropSchema(sluiceSchema);
                progress.accept(label + ": sluice (Kafka path)");
                sluice = kafkaPath.run(runPrefix + "_" + run);
                checkRows(sluiceSchema, expectedRows);
                progress.accept(String.format("  %.2f s (all sent at %.2f s, all flattened at %.2f s, first commit at %.2f s, "
                                + "%d transactions)%n  cpu s: %s", sluice.seconds(), sluice.producedAt(), sluice.flattenedAt(),
                        sluice.firstCommitAt(), sluice.sinkTransactions(), sluice.cpuSeconds()));
                for (BaselineInput<?> input : inputs) {
                    progress.accept(label + ": baseline (" + input.name() + ")");
                    BaselineTiming timing = runBaseline(baseline, input);
                    checkRows(baselineSchema, expectedRows);
                    progress.accept(String.format("  %.2f s%n  cpu s: %s", timing.seconds(), timing.cpu()));
                    measured.put(input.name(), timing);
                    if (run == 0) cold.put(input.name(), timing);
                }
                if (run == 0) sluiceCold = sluice;
            }
        } finally {
            dropSchema(sluiceSchema);
            dropSchema(baselineSchema);
        }
        // The first baseline (from the events' own extended JSON) is the headline one: it starts where
        // the Kafka path starts. The in-memory BSON one follows with its own ratio.
        BaselineTiming first = measured.get(BaselineInput.EXTENDED_JSON);
        List<BenchResult.Baseline> others = new ArrayList<>();
        for (BaselineInput<?> input : inputs.subList(1, inputs.size())) {
            BaselineTiming t = measured.get(input.name());
            others.add(new BenchResult.Baseline(input.name(), t.seconds(), Map.of(
                    "cold_seconds", round(cold.get(input.name()).seconds()), "peak_heap_mb", Math.round(t.peakHeapMb()), "cpu_s", t.cpu())));
        }
        return new BenchResult("etl", settings.users(), expectedRows, sluice.seconds(), sluice.peakHeapMb(),
                BaselineInput.EXTENDED_JSON, first.seconds(), Map.ofEntries(
                Map.entry("cold_seconds", sluiceCold.seconds()),
                Map.entry("baseline_cold_seconds", round(cold.get(BaselineInput.EXTENDED_JSON).seconds())),
                Map.entry("baseline_peak_heap_mb", Math.round(first.peakHeapMb())),
                Map.entry("warmup_runs", settings.warmups()),
                Map.entry("all_events_sent_s", round(sluice.producedAt())),
                Map.entry("all_events_flattened_s", round(sluice.flattenedAt())),
                Map.entry("first_commit_s", round(sluice.firstCommitAt())),
                Map.entry("sink_transactions", sluice.sinkTransactions()),
                Map.entry("cpu_s", sluice.cpuSeconds()),
                Map.entry("baseline_cpu_s", first.cpu()),
                Map.entry("load_average_at_start", loadAtStart),
                Map.entry("load_average", loadAverage()),
                Map.entry("settings", settingsMap())), Map.of(), others);
    }

    /** One baseline pass: wall time, peak heap and CPU by stage. */
    private record BaselineTiming(double seconds, double peakHeapMb, Map<String, Double> cpu) {
    }

    private BaselineTiming runBaseline(DirectBaseline baseline, BaselineInput<?> input) throws Exception {
        baseline.prepare();
        // Each path holds only its own input while it runs: this input is the baseline's MongoDB, as the
        // change events are the Kafka path's; the JVM settles before the clock starts, as for the Kafka
        // path (see KafkaPathRun).
        BaselineInput.Loaded loaded = input.prepare();
        JvmSettle.settle();
        HeapPeak heap = HeapPeak.start();
        // The workers end with the run: their CPU shows in jvm_other, with GC and the JIT.
        try (StageCpu cpu = new StageCpu(t -> "live_threads", stack.postgres(), List.of(DirectBaseline.APPLICATION_NAME))) {
            DirectBaseline.Result b = loaded.into(baseline);
            Map<String, Double> seconds = cpu.seconds();
            return new BaselineTiming(b.elapsed().toNanos() / 1e9, heap.stopMb(), seconds);
        }
    }

    private Map<String, Object> settingsMap() {
        return Map.of("partitions", settings.partitions(), "flattener_threads", settings.flattenerThreads(),
                "commit_interval_ms", settings.commitInterval().toMillis(), "sink_instances", settings.sinkInstances(),
                "sink_batch", settings.sinkBatch(), "sink_flush_ms", settings.sinkFlush().toMillis());
    }

    /** Fails unless {@code schema}'s 15 tables hold {@code expected} rows in all. */
    private void checkRows(String schema, long expected) throws SQLException {
        long rows = 0;
        try (Connection c = stack.postgres().connect(); Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + "." + table)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        if (rows != expected) {
            throw new IllegalStateException("schema " + schema + " holds " + rows + " rows, the users flatten to " + expected
                    + ": the run is not counted");
        }
    }

    private void dropSchema(String schema) throws SQLException {
        try (Connection c = stack.postgres().connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    /** The 1-minute load average: how busy the (shared) machine was when the numbers were taken. */
    private static double loadAverage() {
        return Math.round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() * 100) / 100.0;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }
}
