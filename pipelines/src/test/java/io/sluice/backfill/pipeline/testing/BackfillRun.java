package io.sluice.backfill.pipeline.testing;

import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.publish.DidPublisher;
import io.sluice.backfill.publish.ProgressListener;
import io.sluice.backfill.publish.PublishDidsConfig;
import io.sluice.backfill.publish.PublishSummary;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.ExpectedTotal;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.SimulatorStats;
import io.sluice.testing.TestStack;
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
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One backfill run of an end-to-end test: its pipeline settings (ids, topics and PostgreSQL schema
 * unique to the run), publishing the simulator's DIDs, waiting for the tables to fill, and the final
 * check that the tables hold exactly what the simulator generated.
 */
public final class BackfillRun {

    private static final Logger log = LoggerFactory.getLogger(BackfillRun.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private final TestStack stack;
    private final PdsSimulator simulator;
    private final BackfillPipelineConfig config;
    private final String schema;

    public BackfillRun(TestStack stack, PdsSimulator simulator, String name, RateLimitPolicy hostLimit, Path stateDir,
                       int partitions) {
        this.stack = stack;
        this.simulator = simulator;
        String unique = stack.unique(name);
        this.schema = unique.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        this.config = new BackfillPipelineConfig(URI.create(simulator.plcUrl()), true, hostLimit, unique, unique + ".", schema,
                stateDir.resolve(unique), partitions);
    }

    public BackfillPipelineConfig config() {
        return config;
    }

    /** Publishes every DID of the simulator to the run's DID topic. */
    public void publish() throws Exception {
        publish("run-it-" + config.idPrefix());
    }

    /** Publishes every DID of the simulator again, as {@code publish-dids --run-id runId} (a rerun). */
    public void publish(String runId) throws Exception {
        byte[] list = String.join("\n", simulator.dids()).getBytes(StandardCharsets.UTF_8);
        PublishDidsConfig publish = new PublishDidsConfig(stack.connection(), config.dids(), runId, config.partitions());
        try (DidPublisher publisher = DidPublisher.create(publish)) {
            PublishSummary summary = publisher.publish(new ByteArrayInputStream(list), list.length, ProgressListener.NONE);
            log.info("published: {}", summary);
        }
    }

    /**
     * Waits until {@code dids} DIDs are DONE (and, with {@code allRecords}, every expected record is
     * written), running {@code healthCheck} (which throws when a stage failed) on every poll and failing
     * after {@code wait}.
     */
    public long awaitDone(long dids, boolean allRecords, Duration wait, Runnable healthCheck, Supplier<String> progress)
            throws Exception {
        ExpectedTotal expected = allRecords ? simulator.expectedTotal() : null;
        long deadline = System.nanoTime() + wait.toNanos();
        long nextLog = System.nanoTime() + PROGRESS_EVERY.toNanos();
        while (true) {
            healthCheck.run();
            long done = done();
            long records = expected == null ? 0 : records();
            if (done >= dids && (expected == null || records >= expected.records())) return done;
            if (System.nanoTime() >= nextLog) {
                log.info("{} of {} DIDs done, {} records; {}", done, dids, records, progress.get());
                nextLog = System.nanoTime() + PROGRESS_EVERY.toNanos();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("after " + wait + " only " + done + " of " + dids + " DIDs are done, "
                        + records + " records written; " + progress.get());
            }
            Thread.sleep(200);
        }
    }

    public long done() throws SQLException {
        return count("SELECT count(*) FROM backfill_dids WHERE state = 'DONE'");
    }

    public long records() throws SQLException {
        return count("SELECT count(*) FROM repo_records");
    }

    /** A connection to the stack's database with the run's schema as its search path. */
    public Connection connect() throws SQLException {
        Connection c = stack.connect();
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The query's count, or 0 while the sink has not created its tables yet. */
    public long count(String sql) throws SQLException {
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // undefined table
            throw e;
        }
    }

    /**
     * Every DID DONE once in backfill_dids, repo_records equal to the simulator's records by count and
     * checksum, and no request over a host's limit counted by the simulator.
     */
    public void assertTables(int dids) throws SQLException {
        ExpectedTotal expected = simulator.expectedTotal();
        RecordChecksum checksum = new RecordChecksum();
        try (Connection c = stack.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + schema);
            try (ResultSet rs = st.executeQuery("SELECT did, collection, rkey, cid FROM repo_records")) {
                while (rs.next()) checksum.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
        }
        assertThat(count("SELECT count(*) FROM backfill_dids")).isEqualTo(dids);
        assertThat(done()).isEqualTo(dids);
        assertThat(checksum.count()).as("repo_records rows").isEqualTo(expected.records());
        assertThat(checksum.hex()).as("repo_records checksum").isEqualTo(expected.checksum());
        assertThat(count("SELECT sum(records) FROM backfill_dids")).isEqualTo(expected.records());
        SimulatorStats stats = simulator.stats();
        log.info("simulator: {} PLC requests, totals {}", stats.plcRequests(), stats.totals());
        assertThat(stats.totals().violations()).as("requests over a host's limit").isZero();
        assertThat(stats.totals().served()).isGreaterThanOrEqualTo(dids);
    }
}
