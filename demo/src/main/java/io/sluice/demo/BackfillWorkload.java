package io.sluice.demo;

import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.publish.DidPublisher;
import io.sluice.backfill.publish.ProgressListener;
import io.sluice.backfill.publish.PublishDidsConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.ExpectedTotal;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.RecordCounts;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * The Bluesky backfill: the PDS simulator serves {@code dids} repositories over {@code hosts} hosts,
 * the DIDs are published to backfill.dids and the whole pipeline (resolver → rate limiter → fetcher
 * → records sink) writes them to schema {@value #SCHEMA}. Checked: every DID DONE in backfill_dids,
 * and repo_records holding exactly the simulator's records (count and checksum).
 */
final class BackfillWorkload implements Workload {

    static final String SCHEMA = "backfill";
    /**
     * What the rate limiter allows each PDS host: 20 requests/s on average, so 100 DIDs per host take
     * about 5 s. Written as 1200 per minute rather than 20/s because the limiter gives a released
     * task 3/4 of the policy's safety margin (3% of the window, at most 1 s) to be started in: 750 ms
     * here, 22 ms with a 1-second window, which a fetcher on a busy 2-core machine often misses,
     * sending the task back. The limiter paces releases evenly either way (at most about 5 at once).
     */
    static final RateLimitPolicy HOST_LIMIT = RateLimitPolicy.parse("1200/60s");
    /**
     * The simulator refuses more than this per host in any one second: three times the limiter's rate,
     * room for a loaded machine's jitter but not for a burst the limiter let through.
     */
    static final int SIMULATOR_LIMIT_PER_SECOND = 60;
    private static final int PARTITIONS = 3;
    private static final long SEED = 1;

    private final DemoContext run;

    BackfillWorkload(DemoContext run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "backfill";
    }

    @Override
    public String unit() {
        return "DIDs";
    }

    @Override
    public long total() {
        return run.settings().dids();
    }

    @Override
    public long done() throws SQLException {
        return run.db().count(SCHEMA, "SELECT count(*) FROM backfill_dids WHERE state = 'DONE'");
    }

    @Override
    public WorkloadResult run() throws Exception {
        long start = System.nanoTime();
        DemoSettings settings = run.settings();
        PdsSimulatorConfig simulatorConfig = PdsSimulatorConfig.builder().hosts(settings.hosts()).dids(settings.dids()).seed(SEED)
                .records(RecordCounts.uniform(10, 50)).rateLimit(SIMULATOR_LIMIT_PER_SECOND, 1).build();
        try (PdsSimulator simulator = PdsSimulator.start(simulatorConfig)) {
            DemoNames names = run.names();
            BackfillPipelineConfig config = new BackfillPipelineConfig(URI.create(simulator.plcUrl()), true, HOST_LIMIT,
                    names.isolated() ? names.prefix() : "", names.isolated() ? names.prefix() + "." : "", SCHEMA,
                    run.stateDir().resolve("backfill"), PARTITIONS);
            ExpectedTotal expected = simulator.expectedTotal();
            // The page's table shows the limiter while it runs; closed first, it keeps the limiter's last state.
            try (BackfillPipeline pipeline = BackfillPipeline.start(run.stack().connection(), run.db().endpoint(), config);
                 DemoRateLimits.Showing shown = run.rateLimits().show(pipeline::rateLimitHosts)) {
                publish(simulator.dids(), config);
                awaitDone(pipeline, expected, start);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return result(expected, seconds, DlqCount.of(run.stack().connection(), config.dlq()), simulator.stats().totals().violations());
        }
    }

    private void publish(List<String> dids, BackfillPipelineConfig config) throws Exception {
        byte[] list = String.join("\n", dids).getBytes(StandardCharsets.UTF_8);
        PublishDidsConfig publish = new PublishDidsConfig(run.stack().connection(),
                config.dids(), run.names().prefix(), config.partitions());
        try (DidPublisher publisher = DidPublisher.create(publish)) {
            publisher.publish(new ByteArrayInputStream(list), list.length, ProgressListener.NONE);
        }
    }

    private void awaitDone(BackfillPipeline pipeline, ExpectedTotal expected, long start) throws Exception {
        long deadline = start + run.settings().timeout().toNanos();
        while (done() < run.settings().dids() || records() < expected.records()) {
            pipeline.assertHealthy();
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("backfill: after " + run.settings().timeout().toSeconds() + " s " + done() + " of "
                        + run.settings().dids() + " DIDs are done; " + pipeline.progress());
            }
            Thread.sleep(100);
        }
    }

    private long records() throws SQLException {
        return run.db().count(SCHEMA, "SELECT count(*) FROM repo_records");
    }

    private WorkloadResult result(ExpectedTotal expected, double seconds, long dlq, long violations) throws SQLException {
        long records = records();
        List<WorkloadResult.Check> checks = new ArrayList<>();
        checks.add(WorkloadResult.Check.of("DIDs in backfill_dids", run.settings().dids(),
                run.db().count(SCHEMA, "SELECT count(*) FROM backfill_dids")));
        checks.add(WorkloadResult.Check.of("DIDs DONE", run.settings().dids(), done()));
        checks.add(WorkloadResult.Check.of("repo_records rows (simulator's records)", expected.records(), records));
        checks.add(new WorkloadResult.Check("repo_records checksum", expected.checksum(), checksum()));
        return new WorkloadResult(name(), run.settings().dids(), records, seconds, dlq, violations, checks);
    }

    /** The same {@link RecordChecksum} the simulator computed over what it serves, over the rows. */
    private String checksum() throws SQLException {
        RecordChecksum checksum = new RecordChecksum();
        try (Connection c = run.db().endpoint().connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + SCHEMA);
            st.setFetchSize(10_000);
            c.setAutoCommit(false); // a fetch size streams only inside a transaction
            try (ResultSet rs = st.executeQuery("SELECT did, collection, rkey, cid FROM repo_records")) {
                while (rs.next()) checksum.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
            }
            c.commit();
        }
        return checksum.hex();
    }
}
