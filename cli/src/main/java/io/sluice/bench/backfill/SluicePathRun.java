package io.sluice.bench.backfill;

import io.sluice.backfill.fetch.FetcherStats;
import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.publish.DidPublisher;
import io.sluice.backfill.publish.ProgressListener;
import io.sluice.backfill.publish.PublishDidsConfig;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.bench.HeapPeak;
import io.sluice.bench.StageCpu;
import io.sluice.stack.StackEndpoints;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One measured pass of the sluice pipeline: starts it (topics, resolver, rate limiter running, fetcher,
 * records sink), then times from the first DID published to the poll that sees every DID DONE in
 * backfill_dids and every expected record in repo_records.
 */
final class SluicePathRun {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    /**
     * What the pass measured; {@code publishedAt} and {@code allDoneAt} (every status DONE) are seconds
     * after the first publish; {@code cpuSeconds} by stage (see {@link #stageOf}); the fetcher's counters.
     */
    record Outcome(double seconds, double publishedAt, double allDoneAt, double peakHeapMb, double peakHeapAfterGcMb,
                   Map<String, Double> cpuSeconds, FetcherStats.Snapshot fetcher) {
    }

    private final StackEndpoints stack;
    private final Consumer<String> progress;

    SluicePathRun(StackEndpoints stack, Consumer<String> progress) {
        this.stack = stack;
        this.progress = progress;
    }

    Outcome run(PdsSimulator simulator, BackfillPipelineConfig config, long expectedRecords, Duration deadline) throws Exception {
        int dids = simulator.dids().size();
        byte[] list = String.join("\n", simulator.dids()).getBytes(StandardCharsets.UTF_8);
        try (BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(), stack.postgres(),
                config)) {
            HeapPeak heap = HeapPeak.start();
            try (StageCpu cpu = new StageCpu(SluicePathRun::stageOf, stack.postgres(),
                    List.of(pipeline.sinkConfig().applicationName()))) {
                long start = System.nanoTime();
                PublishDidsConfig publish = new PublishDidsConfig(stack.connection(), config.dids(),
                        "bench-" + config.idPrefix(), config.partitions());
                try (DidPublisher publisher = DidPublisher.create(publish)) {
                    publisher.publish(new ByteArrayInputStream(list), list.length, ProgressListener.NONE);
                }
                double publishedAt = since(start);
                double allDoneAt = -1;
                long end = start + deadline.toNanos();
                long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                try (Connection db = stack.postgres().connect(); Statement st = db.createStatement()) {
                    st.execute("SET search_path TO " + config.dbSchema());
                    while (true) {
                        pipeline.assertHealthy();
                        long done = count(st, "SELECT count(*) FROM backfill_dids WHERE state = 'DONE'");
                        if (done >= dids) {
                            if (allDoneAt < 0) allDoneAt = since(start);
                            // Statuses and records are separate topics: the last records may commit a moment later.
                            if (count(st, "SELECT count(*) FROM repo_records") >= expectedRecords) break;
                        }
                        if (System.nanoTime() > end) {
                            throw new IllegalStateException("sluice did not finish within " + deadline + ": " + done + " of " + dids
                                    + " DIDs done; " + pipeline.progress());
                        }
                        if (System.nanoTime() >= nextProgress) {
                            progress.accept(String.format("  %.0f s: %,d of %,d DIDs done", since(start), done, dids));
                            nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
                        }
                        Thread.sleep(POLL.toMillis());
                    }
                }
                double seconds = since(start);
                double peak = heap.stopMb();
                return new Outcome(seconds, publishedAt, allDoneAt, peak, heap.afterGcMb(), cpu.seconds(), pipeline.fetcherStats());
            }
        }
    }

    /**
     * Which stage a platform thread works for, by the names the stages and their clients give their
     * threads. Fetch tasks, the resolver's lookups and the simulator's connections are virtual threads:
     * their CPU is their carriers' ({@code virtual_threads}), which cannot be split by stage.
     */
    static String stageOf(String thread) {
        if (thread.contains("ratelimiter")) return "rate_limiter";
        if (thread.contains("resolver")) return "resolver";
        if (thread.contains("fetcher") || thread.startsWith("HttpClient-")) return "fetcher";
        if (thread.contains("records-sink")) return "records_sink";
        if (thread.startsWith("ForkJoinPool-")) return "virtual_threads";
        if (thread.startsWith("pds-simulator") || thread.startsWith("ForkJoinPool.commonPool")) return "simulator";
        if (thread.equals("main") || thread.startsWith("bench-") || thread.contains("publish-dids")) return "bench_and_publish";
        return "broker_and_other";
    }

    private static double since(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** The count, or 0 while the sink has not created the table. */
    private static long count(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // autocommit: nothing to roll back
            throw e;
        }
    }
}
