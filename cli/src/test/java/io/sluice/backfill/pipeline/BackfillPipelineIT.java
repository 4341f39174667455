package io.sluice.backfill.pipeline;

import io.sluice.backfill.publish.DidPublisher;
import io.sluice.backfill.publish.ProgressListener;
import io.sluice.backfill.publish.PublishDidsConfig;
import io.sluice.backfill.publish.PublishSummary;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.ExpectedTotal;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.backfill.simulator.SimulatorStats;
import io.sluice.testing.SluiceIT;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The backfill end to end through the real broker, registry and PostgreSQL: the PDS simulator (2,000
 * DIDs over 20 hosts, small repositories) → publish-dids → resolver → rate limiter → fetcher → records
 * sink. Every DID must end DONE in backfill_dids, and repo_records must hold exactly the simulator's
 * records (count and {@link RecordChecksum}), with no request over a host's limit (the limiter at 5/s per host, the simulator refusing more than 15
 * in any second). The second test
 * stops the fetcher and the sink mid-run and starts them again: the tables must come out the same.
 */
@SluiceIT
class BackfillPipelineIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillPipelineIT.class);
    private static final int DIDS = 2_000;
    private static final int HOSTS = 20;
    private static final int PARTITIONS = 3;
    /** Requests per second per PDS host the rate limiter allows. */
    private static final int HOST_LIMIT = 5;
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    @TempDir
    Path stateDir;

    @Test
    void everyDidEndsDoneWithExactlyTheSimulatorsRecords(TestStack stack) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(simulatorConfig(21))) {
            Scenario s = scenario(stack, simulator, "bfe2e-a");
            long start = System.nanoTime();
            try (BackfillPipeline pipeline = BackfillPipeline.start(stack.bootstrapServers(), stack.registryUrl(),
                    stack.postgres(), s.config)) {
                publish(stack, simulator, s.config);
                awaitDone(stack, pipeline, s, simulator.expectedTotal(), DIDS);
            }
            log.info("backfill of {} DIDs took {} s", DIDS, String.format("%.1f", (System.nanoTime() - start) / 1e9));
            assertTables(stack, s, simulator);
        }
    }

    @Test
    void aFetcherAndASinkRestartedMidRunLeaveTheSameTables(TestStack stack) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(simulatorConfig(22))) {
            Scenario s = scenario(stack, simulator, "bfe2e-b");
            long start = System.nanoTime();
            try (BackfillPipeline pipeline = BackfillPipeline.start(stack.bootstrapServers(), stack.registryUrl(),
                    stack.postgres(), s.config)) {
                publish(stack, simulator, s.config);
                long doneBefore = awaitDone(stack, pipeline, s, null, DIDS * 3 / 10);
                log.info("{} DIDs done: stopping the fetcher and the sink", doneBefore);
                pipeline.stopFetcher();
                pipeline.stopSink();
                long doneWhileStopped = done(stack, s);
                assertThat(doneWhileStopped).as("stopped mid-run").isLessThan(DIDS);
                Thread.sleep(2_000);
                assertThat(done(stack, s)).as("nothing written while the sink is stopped").isEqualTo(doneWhileStopped);
                pipeline.startSink();
                pipeline.startFetcher();
                log.info("fetcher and sink started again");
                awaitDone(stack, pipeline, s, simulator.expectedTotal(), DIDS);
            }
            log.info("backfill of {} DIDs with restarts took {} s", DIDS,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            assertTables(stack, s, simulator);
        }
    }

    private record Scenario(BackfillPipelineConfig config, String schema) {
    }

    private static PdsSimulatorConfig simulatorConfig(long seed) {
        // The limiter releases HOST_LIMIT per second per host, so 100 repositories per host take about
        // 20 s; the simulator admits three times that in each fixed second, which leaves room for the
        // jitter of a loaded machine but not for a burst the limiter let through.
        return PdsSimulatorConfig.builder().hosts(HOSTS).dids(DIDS).seed(seed).records(RecordCounts.uniform(5, 30))
                .rateLimit(3 * HOST_LIMIT, 1).build();
    }

    private Scenario scenario(TestStack stack, PdsSimulator simulator, String name) {
        String unique = stack.unique(name);
        String schema = unique.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        BackfillPipelineConfig config = new BackfillPipelineConfig(URI.create(simulator.plcUrl()), true,
                RateLimitPolicy.parse(HOST_LIMIT + "/s"), unique, unique + ".", schema, stateDir.resolve(unique), PARTITIONS);
        return new Scenario(config, schema);
    }

    private static void publish(TestStack stack, PdsSimulator simulator, BackfillPipelineConfig config) throws Exception {
        byte[] list = String.join("\n", simulator.dids()).getBytes(StandardCharsets.UTF_8);
        PublishDidsConfig publish = new PublishDidsConfig(stack.bootstrapServers(), stack.registryUrl(), config.dids(),
                "run-it-" + config.idPrefix(), config.partitions());
        try (DidPublisher publisher = DidPublisher.create(publish)) {
            PublishSummary summary = publisher.publish(new ByteArrayInputStream(list), list.length, ProgressListener.NONE);
            log.info("published: {}", summary);
        }
    }

    /**
     * Waits until {@code dids} DIDs are DONE (and, with {@code expected}, every expected record is
     * written), failing at once if a stage fails, and at {@link #WAIT}.
     */
    private static long awaitDone(TestStack stack, BackfillPipeline pipeline, Scenario s, ExpectedTotal expected, long dids)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long nextLog = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (true) {
            pipeline.assertHealthy();
            long done = done(stack, s);
            long records = expected == null ? 0 : count(stack, s, "SELECT count(*) FROM repo_records");
            if (done >= dids && (expected == null || records >= expected.records())) return done;
            if (System.nanoTime() >= nextLog) {
                log.info("{} of {} DIDs done, {} records; {}", done, dids, records, pipeline.progress());
                nextLog = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + WAIT + " only " + done + " of " + dids + " DIDs are done, "
                        + records + " records written; " + pipeline.progress());
            }
            Thread.sleep(200);
        }
    }

    private static long done(TestStack stack, Scenario s) throws SQLException {
        return count(stack, s, "SELECT count(*) FROM backfill_dids WHERE state = 'DONE'");
    }

    /** The query's count, or 0 while the sink has not created its tables yet. */
    private static long count(TestStack stack, Scenario s, String sql) throws SQLException {
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + s.schema);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // undefined table
            throw e;
        }
    }

    private static void assertTables(TestStack stack, Scenario s, PdsSimulator simulator) throws SQLException {
        ExpectedTotal expected = simulator.expectedTotal();
        RecordChecksum checksum = new RecordChecksum();
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + s.schema);
            try (ResultSet rs = st.executeQuery("SELECT did, collection, rkey, cid FROM repo_records")) {
                while (rs.next()) checksum.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
        assertThat(count(stack, s, "SELECT count(*) FROM backfill_dids")).isEqualTo(DIDS);
        assertThat(count(stack, s, "SELECT count(*) FROM backfill_dids WHERE state = 'DONE'")).isEqualTo(DIDS);
        assertThat(checksum.count()).as("repo_records rows").isEqualTo(expected.records());
        assertThat(checksum.hex()).as("repo_records checksum").isEqualTo(expected.checksum());
        assertThat(count(stack, s, "SELECT sum(records) FROM backfill_dids")).isEqualTo(expected.records());
        SimulatorStats stats = simulator.stats();
        log.info("simulator: {} PLC requests, totals {}", stats.plcRequests(), stats.totals());
        assertThat(stats.totals().violations()).as("requests over a host's limit").isZero();
        assertThat(stats.totals().served()).isGreaterThanOrEqualTo(DIDS);
    }
}
