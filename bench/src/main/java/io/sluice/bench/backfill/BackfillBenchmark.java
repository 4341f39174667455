package io.sluice.bench.backfill;

import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.WindowAlignment;
import io.sluice.backfill.simulator.ExpectedTotal;
import io.sluice.backfill.simulator.HostStats;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.backfill.simulator.SimulatorStats;
import io.sluice.backfill.simulator.WindowCount;
import io.sluice.bench.BenchResult;
import io.sluice.stack.StackEndpoints;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The backfill benchmark: one PDS simulator, the sluice pipeline ({@link SluicePathRun}) and the seed
 * design's {@link CoordinatorBaseline} against it, each into a PostgreSQL schema of its own, each with
 * the simulator's counters reset before it; {@code rounds} times, the order alternating, the last run
 * of each path measured. Every run must leave exactly the simulator's records (count and checksum) or
 * the benchmark fails.
 *
 * <p>Limits: with a host limit the simulator refuses more than that many requests per host in each
 * second and the limiter is set to the same rate; without one both are far above what either run can
 * reach (the simulator 1,000,000 per second per host; the limiter a daily budget, so that its task
 * deadlines, a fraction of the window, are minutes and a fetcher that is behind does not see its tasks
 * expire).
 */
public final class BackfillBenchmark {

    /** A limit nobody reaches: 10^9 a day per host, about 11,600 per second. */
    static final RateLimitPolicy UNBOUND_POLICY = RateLimitPolicy.of(1_000_000_000, Duration.ofDays(1));
    static final int UNBOUND_SIMULATOR_LIMIT = 1_000_000;
    private static final Duration DEADLINE = Duration.ofMinutes(30);

    private final StackEndpoints stack;
    private final BackfillBenchSettings settings;
    private final Consumer<String> progress;

    public BackfillBenchmark(StackEndpoints stack, BackfillBenchSettings settings, Consumer<String> progress) {
        this.stack = stack;
        this.settings = settings;
        this.progress = progress;
    }

    public BenchResult run() throws Exception {
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        String run = Long.toString(System.currentTimeMillis(), 36);
        String sluiceSchema = "sluice_bench_bf_" + run;
        String baselineSchema = "sluice_bench_bf_baseline_" + run;
        Path stateDir = Files.createTempDirectory("sluice-bench-backfill-");
        try (PdsSimulator simulator = PdsSimulator.start(simulatorConfig())) {
            progress.accept(String.format("simulator: %,d DIDs on %,d hosts, %s; generating every repository once for the "
                    + "expected totals", settings.dids(), settings.hosts(), limitText()));
            ExpectedTotal expected = simulator.expectedTotal();
            progress.accept(String.format("expected: %,d records, %,d CAR bytes", expected.records(), expected.carBytes()));

            SluiceRound sluice = null;
            BaselineRound baseline = null;
            List<Double> sluiceRounds = new ArrayList<>();
            List<Double> baselineRounds = new ArrayList<>();
            for (int round = 0; round < settings.rounds(); round++) {
                String label = "round " + (round + 1) + "/" + settings.rounds();
                // Alternating, so that neither path always has the colder JVM or the other's leftovers.
                boolean baselineFirst = round % 2 == 1 && !settings.skipBaseline();
                if (baselineFirst) {
                    baseline = runBaseline(simulator, expected, baselineSchema + "_" + round, label);
                    baselineRounds.add(round(baseline.outcome().seconds()));
                }
                sluice = runSluice(simulator, expected, run + "_" + round, sluiceSchema + "_" + round,
                        stateDir.resolve("round-" + round), label);
                sluiceRounds.add(round(sluice.outcome().seconds()));
                if (!baselineFirst && !settings.skipBaseline()) {
                    baseline = runBaseline(simulator, expected, baselineSchema + "_" + round, label);
                    baselineRounds.add(round(baseline.outcome().seconds()));
                }
            }
            Map<String, Object> rounds = new LinkedHashMap<>();
            rounds.put("rounds", settings.rounds());
            rounds.put("rounds_s", sluiceRounds);
            if (!baselineRounds.isEmpty()) rounds.put("baseline_rounds_s", baselineRounds);
            rounds.put("measured", settings.rounds() == 1 ? "one round, sluice first: neither run was warmed up beforehand"
                    : "the last of " + settings.rounds() + " runs of each path, the order alternating: both warm");
            return result(expected, sluice.outcome(), sluice.stats(), baseline == null ? null : baseline.outcome(),
                    baseline == null ? null : baseline.stats(), loadAtStart, rounds);
        } finally {
            for (int round = 0; round < settings.rounds(); round++) {
                dropSchema(sluiceSchema + "_" + round);
                dropSchema(baselineSchema + "_" + round);
            }
            deleteTree(stateDir);
        }
    }

    private record SluiceRound(SluicePathRun.Outcome outcome, SimulatorStats stats) {
    }

    private record BaselineRound(CoordinatorBaseline.Outcome outcome, SimulatorStats stats) {
    }

    /** One run of the sluice pipeline with topics, ids and a schema of its own, checked against the simulator. */
    private SluiceRound runSluice(PdsSimulator simulator, ExpectedTotal expected, String run, String schema, Path stateDir,
                                  String label) throws Exception {
        simulator.resetStats();
        progress.accept(label + ": sluice: resolver -> rate limiter -> fetcher -> records sink");
        Files.createDirectories(stateDir);
        BackfillPipelineConfig config = pipelineConfig(simulator, run, schema, stateDir);
        SluicePathRun.Outcome outcome = new SluicePathRun(stack, progress).run(simulator, config, expected.records(), DEADLINE);
        SimulatorStats stats = simulator.stats();
        progress.accept(String.format("  %.2f s; checking the tables", outcome.seconds()));
        check(schema, expected);
        dropSchema(schema);
        return new SluiceRound(outcome, stats);
    }

    /** One run of the coordinator baseline into a schema of its own, checked against the simulator. */
    private BaselineRound runBaseline(PdsSimulator simulator, ExpectedTotal expected, String schema, String label) throws Exception {
        simulator.resetStats();
        progress.accept(label + ": baseline: " + CoordinatorBaseline.NAME);
        CoordinatorBaseline coordinator = new CoordinatorBaseline(URI.create(simulator.plcUrl()), stack.postgres(), schema);
        coordinator.prepare();
        CoordinatorBaseline.Outcome outcome = coordinator.run(simulator.dids());
        SimulatorStats stats = simulator.stats();
        progress.accept(String.format("  %.2f s; checking the table", outcome.seconds()));
        check(schema, expected);
        dropSchema(schema);
        return new BaselineRound(outcome, stats);
    }

    private PdsSimulatorConfig simulatorConfig() {
        PdsSimulatorConfig.Builder b = PdsSimulatorConfig.builder().hosts(settings.hosts()).dids(settings.dids())
                .seed(settings.seed()).records(RecordCounts.uniform(settings.minRecords(), settings.maxRecords()))
                .rateLimit(settings.hostLimit().orElse(UNBOUND_SIMULATOR_LIMIT), 1);
        if (settings.bigRepoMb() > 0) b.bigRepoBytes(settings.bigRepoMb() * 1024L * 1024L);
        return b.cacheBytes(simulatorCacheBytes()).build();
    }

    /**
     * The simulator stands in for PDSs on other machines: generating a repository again for each
     * request would bill its CPU to both runs. So the generated CARs stay cached, up to a quarter of
     * the heap; except in a --big-repo-mb run, which measures peak heap and keeps the default cache.
     */
    private long simulatorCacheBytes() {
        return settings.bigRepoMb() > 0 ? PdsSimulatorConfig.DEFAULT_CACHE_BYTES : Runtime.getRuntime().maxMemory() / 4;
    }

    private BackfillPipelineConfig pipelineConfig(PdsSimulator simulator, String run, String schema, Path stateDir) {
        RateLimitPolicy policy = settings.hostLimit().isPresent()
                ? RateLimitPolicy.of(settings.hostLimit().getAsInt(), Duration.ofSeconds(1)) : UNBOUND_POLICY;
        RateLimiterConfig.Timing timing = RateLimiterConfig.Timing.defaults();
        if (settings.hostLimit().isPresent()) {
            // The simulator counts fixed windows aligned to the epoch on this machine's clock: the limiter can
            // schedule each window's whole allowance into it, with deadlines of a quarter window, where a
            // sliding window safe for any alignment gives up the margin and needs 22 ms deadlines at 20/s.
            timing = timing.withAlignment(WindowAlignment.EPOCH);
        } else {
            // Deadlines of minutes (3/4 of the margin, which is 3% of the window up to this cap).
            RateLimiterConfig.Timing d = timing;
            timing = new RateLimiterConfig.Timing(d.punctuation(), d.commitInterval(), Duration.ofMinutes(10), d.dispatchDelay(),
                    Duration.ofMinutes(10), d.safetyFraction(), d.throttleBackoff(), d.maxThrottleBackoff());
        }
        String id = "bench-bf-" + run;
        return new BackfillPipelineConfig(URI.create(simulator.plcUrl()), true, policy, id, id + ".", schema, stateDir,
                settings.partitions(), timing);
    }

    private BenchResult result(ExpectedTotal expected, SluicePathRun.Outcome sluice, SimulatorStats sluiceStats,
                               CoordinatorBaseline.Outcome baseline, SimulatorStats baselineStats, double load,
                               Map<String, Object> rounds) {
        Map<String, Object> headline = new LinkedHashMap<>();
        headline.put("dids", settings.dids());
        headline.put("requests", sluiceStats.totals().requests());
        headline.put("rate_limit_violations", sluiceStats.totals().violations());
        Map<String, Object> details = new LinkedHashMap<>(rounds);
        details.put("hosts", settings.hosts());
        details.put("host_limit", limitText());
        details.put("records_per_repo", settings.minRecords() + ".." + settings.maxRecords());
        details.put("partitions", settings.partitions());
        details.put("car_bytes", expected.carBytes());
        details.put("published_at_s", round(sluice.publishedAt()));
        details.put("all_status_done_at_s", round(sluice.allDoneAt()));
        details.put("plc_requests", sluiceStats.plcRequests());
        details.put("max_heap_mb", Runtime.getRuntime().maxMemory() >> 20);
        details.put("peak_heap_after_gc_mb", Math.round(sluice.peakHeapAfterGcMb()));
        details.put("load_average_at_start", round(load));
        if (settings.bigRepoMb() > 0) details.put("big_repo_mb", settings.bigRepoMb());
        details.put("simulator_cache_mb", simulatorCacheBytes() >> 20);
        details.put("cpu_s", sluice.cpuSeconds());
        details.put("fetch_expired", sluice.fetcher().expired());
        details.put("fetch_retried", sluice.fetcher().retried());
        details.put("fetch_throttled", sluice.fetcher().throttled());
        if (settings.hostLimit().isPresent()) {
            RequestRate whole = RequestRate.of(sluiceStats.hosts());
            RequestRate steady = RequestRate.steady(sluiceStats.hosts());
            double allowed = (double) settings.hosts() * settings.hostLimit().getAsInt();
            RequestRate headlineRate = steady.seconds() > 0 ? steady : whole;
            headline.put("allowed_rate_utilisation", round(headlineRate.perSecond() / allowed));
            details.put("utilisation_over", steady.seconds() > 0 ? "steady part" : "whole run (no steady part)");
            details.put("allowed_rate_utilisation_whole_run", round(whole.perSecond() / allowed));
            details.put("achieved_request_rate_per_s", round(whole.perSecond()));
            details.put("steady_request_rate_per_s", round(steady.perSecond()));
            details.put("allowed_request_rate_per_s", allowed);
            details.put("request_rate_over_s", whole.seconds());
            details.put("steady_part_s", steady.seconds());
            details.put("requests_per_second", perSecond(sluiceStats.hosts()));
        }
        String baselineName = CoordinatorBaseline.NAME;
        double baselineSeconds = 0;
        if (baseline != null) {
            baselineSeconds = baseline.seconds();
            details.put("baseline_requests", baselineStats.totals().requests());
            details.put("baseline_rate_limit_violations", baselineStats.totals().violations());
            details.put("baseline_429s_waited_out", baseline.throttled());
            details.put("baseline_cpu_s", baseline.cpuSeconds());
        } else {
            baselineName = "skipped (--no-baseline)";
        }
        return new BenchResult("backfill", settings.dids(), expected.records(), sluice.seconds(), sluice.peakHeapMb(),
                baselineName, baselineSeconds, details, headline);
    }

    /** Requests admitted per one-second window, all hosts together, first to last window with any. */
    static java.util.List<Integer> perSecond(Iterable<HostStats> hosts) {
        java.util.TreeMap<Long, Integer> byWindow = new java.util.TreeMap<>();
        for (HostStats h : hosts) {
            for (WindowCount w : h.windows()) byWindow.merge(w.start(), w.admitted(), Integer::sum);
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        if (byWindow.isEmpty()) return out;
        for (long t = byWindow.firstKey(); t <= byWindow.lastKey(); t++) out.add(byWindow.getOrDefault(t, 0));
        return out;
    }

    private String limitText() {
        return settings.hostLimit().isPresent() ? settings.hostLimit().getAsInt() + "/s per host" : "none binding";
    }

    /** Fails unless {@code schema}.repo_records holds exactly the simulator's records. */
    private void check(String schema, ExpectedTotal expected) throws SQLException {
        RecordChecksum checksum = new RecordChecksum();
        try (Connection c = stack.postgres().connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT did, collection, rkey, cid FROM " + schema + ".repo_records")) {
                while (rs.next()) checksum.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
        if (checksum.count() != expected.records() || !checksum.hex().equals(expected.checksum())) {
            throw new IllegalStateException(schema + ".repo_records holds " + checksum.count() + " records (checksum "
                    + checksum.hex() + "), the simulator generated " + expected.records() + " (" + expected.checksum()
                    + "): the run is not counted");
        }
    }

    private void dropSchema(String schema) {
        try (Connection c = stack.postgres().connect(); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            progress.accept("could not drop schema " + schema + ": " + e.getMessage());
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /**
     * Requests per second the hosts served: {@link #of} over the span from the first to the last
     * one-second window in which any host admitted a request (ramp-up and tail included), {@link #steady}
     * over the part where every host had work. The simulator keeps each host's
     * last 120 windows, so for longer runs this is the rate of the last two minutes.
     */
    record RequestRate(double perSecond, long seconds) {

        static RequestRate of(Iterable<HostStats> hosts) {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            long admitted = 0;
            for (HostStats h : hosts) {
                for (WindowCount w : h.windows()) {
                    if (w.admitted() == 0) continue;
                    first = Math.min(first, w.start());
                    last = Math.max(last, w.start());
                    admitted += w.admitted();
                }
            }
            if (admitted == 0) return new RequestRate(0, 0);
            long seconds = last - first + 1;
            return new RequestRate((double) admitted / seconds, seconds);
        }

        /**
         * Requests per second over the steady part: the windows after the last host's first request and
         * before the first host's last request, so that every host had work throughout (windows with no
         * request in between count, as zeros). The first and last windows of each host are partial (the
         * ramp-up while DIDs are resolved, the tail while hosts run out of work) and are left out. Zero
         * seconds when there are no such windows (a run of a few seconds).
         */
        static RequestRate steady(Iterable<HostStats> hosts) {
            long from = Long.MIN_VALUE;
            long to = Long.MAX_VALUE;
            for (HostStats h : hosts) {
                long first = Long.MAX_VALUE;
                long last = Long.MIN_VALUE;
                for (WindowCount w : h.windows()) {
                    if (w.admitted() == 0) continue;
                    first = Math.min(first, w.start());
                    last = Math.max(last, w.start());
                }
                if (first == Long.MAX_VALUE) continue; // a host without DIDs
                from = Math.max(from, first + 1);
                to = Math.min(to, last - 1);
            }
            if (from == Long.MIN_VALUE || to < from) return new RequestRate(0, 0);
            long admitted = 0;
            for (HostStats h : hosts) {
                for (WindowCount w : h.windows()) {
                    if (w.start() >= from && w.start() <= to) admitted += w.admitted();
                }
            }
            long seconds = to - from + 1;
            return new RequestRate((double) admitted / seconds, seconds);
        }
    }
}
