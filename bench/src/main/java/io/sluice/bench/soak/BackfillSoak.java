package io.sluice.bench.soak;

import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.pipeline.check.BackfillCheck;
import io.sluice.backfill.publish.DidPublisher;
import io.sluice.backfill.publish.ProgressListener;
import io.sluice.backfill.publish.PublishDidsConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.ExpectedRepo;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.fault.components.BackfillComponent;
import io.sluice.fault.components.BackfillComponent.Kind;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.process.ChildJvm;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The backfill under the soak: the simulator's DIDs over {@link #HOSTS} hosts published in bursts of
 * {@link #BURST} every {@link #BURST_EVERY}, more than a host's limit lets through at once, so the
 * rate limiter binds; the resolver with the rate limiter, the fetcher and the records sink each in a JVM of
 * its own ({@link BackfillComponent}). At the end: every published DID DONE once, repo_records equal to
 * the published repositories by count and checksum, none lost or duplicated per DID, no request over a host's limit.
 */
final class BackfillSoak implements SoakWorkload {

    private static final int HOSTS = 4;
    private static final int HOST_LIMIT = 2; // per second: a burst of 20 over 4 hosts takes 2.5 s to let through
    private static final int BURST = 20;
    private static final Duration BURST_EVERY = Duration.ofSeconds(5);
    private static final int PARTITIONS = 2;

    private final SoakEnvironment env;
    private final PdsSimulator simulator;
    private final BackfillPipelineConfig config;
    private final List<String> dids;
    private final List<ChildJvm> components = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private CompletableFuture<Void> load;

    BackfillSoak(SoakEnvironment env, Duration loadLength, long seed) throws Exception {
        this.env = env;
        int bursts = (int) Math.max(1, loadLength.toMillis() / BURST_EVERY.toMillis());
        this.simulator = PdsSimulator.start(PdsSimulatorConfig.builder().hosts(HOSTS).dids(bursts * BURST).seed(seed)
                .records(RecordCounts.uniform(5, 20)).rateLimit(3 * HOST_LIMIT, 1).build());
        this.dids = simulator.dids();
        String id = "soak-backfill-" + env.runId();
        this.config = new BackfillPipelineConfig(URI.create(simulator.plcUrl()), true, RateLimitPolicy.parse(HOST_LIMIT + "/s"),
                id, id + ".", id.replace('-', '_').toLowerCase(Locale.ROOT), env.dir().resolve("backfill-state"), PARTITIONS);
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
    public void startComponents() throws Exception {
        // The upstream ensures the topics, so it goes first.
        for (Kind kind : List.of(Kind.UPSTREAM, Kind.FETCHER, Kind.SINK)) {
            components.add(BackfillComponent.start(kind, env.bootstrapServers(), env.registryUrl(), env.proxied(), config,
                    env.logs().resolve("backfill-" + kind.name().toLowerCase(Locale.ROOT) + ".log")));
        }
    }

    @Override
    public List<ChildJvm> components() {
        return components;
    }

    @Override
    public void startLoad() {
        load = CompletableFuture.runAsync(this::publish);
    }

    /** One burst each {@link #BURST_EVERY}: the DIDs in the simulator's order, until all are sent or the soak stops. */
    private void publish() {
        PublishDidsConfig publish = new PublishDidsConfig(ConnectionSettings.plaintext(env.bootstrapServers(), env.registryUrl()),
                config.dids(), "soak-" + env.runId(), PARTITIONS);
        DidPublisher[] publisher = {DidPublisher.create(publish)};
        try {
            for (int i = 0; i < dids.size() && !stop.get(); i += BURST) {
                long next = System.nanoTime() + BURST_EVERY.toNanos();
                List<String> burst = dids.subList(i, Math.min(dids.size(), i + BURST));
                byte[] list = String.join("\n", burst).getBytes(StandardCharsets.UTF_8);
                Resend.untilAcknowledged("DIDs", () -> {
                    try {
                        publisher[0].publish(new ByteArrayInputStream(list), list.length, ProgressListener.NONE);
                    } catch (Exception e) {
                        publisher[0].close(); // a producer that timed out is replaced, not trusted again
                        publisher[0] = DidPublisher.create(publish);
                        throw e;
                    }
                });
                sent.addAndGet(burst.size());
                long wait = next - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            publisher[0].close();
        }
    }

    @Override
    public void assertLoadHealthy() {
        if (load.isCompletedExceptionally()) load.join();
    }

    @Override
    public long sent() {
        return sent.get();
    }

    @Override
    public long inFlight() {
        try {
            return Math.max(0, sent.get() - progress());
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public long progress() throws SQLException {
        return count("SELECT count(*) FROM backfill_dids WHERE state = 'DONE'");
    }

    @Override
    public void stopLoad() {
        stop.set(true);
        load.join();
    }

    @Override
    public boolean awaitDrained(Duration timeout, Runnable poll) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        long records = expectedRecords().values().stream().mapToLong(Long::longValue).sum();
        while (progress() < sent.get() || count("SELECT count(*) FROM repo_records") < records) {
            if (System.nanoTime() > deadline) return false;
            poll.run();
            Thread.sleep(500);
        }
        return true;
    }

    @Override
    public Outcome check() throws Exception {
        List<String> problems = new ArrayList<>();
        long published = sent.get();
        RecordChecksum checksum = new RecordChecksum();
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT did, collection, rkey, cid FROM repo_records")) {
            while (rs.next()) checksum.add(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        }
        // what the published repositories hold, summed as RecordChecksum sums (the load may not publish them all)
        RecordChecksum expected = new RecordChecksum();
        for (String did : dids.subList(0, (int) published)) {
            ExpectedRepo repo = simulator.expected(did);
            expected.merge(repo.checksumValue(), repo.records());
        }
        if (checksum.count() != expected.count() || !checksum.hex().equals(expected.hex())) {
            problems.add("repo_records: " + checksum.count() + " rows, checksum " + checksum.hex() + "; expected "
                    + expected.count() + ", " + expected.hex());
        }
        long done = progress();
        if (done != published) problems.add(done + " DIDs DONE of " + published + " published");
        long violations = simulator.stats().totals().violations();
        if (violations != 0) problems.add(violations + " requests over a host's limit");
        try (Connection c = connect()) {
            return new Outcome(published, BackfillCheck.losses(c, expectedRecords()), problems);
        }
    }

    /** Records per published DID (DIDs go out in the simulator's order). */
    private Map<String, Long> expectedRecords() {
        Map<String, Long> expected = new HashMap<>();
        for (String did : dids.subList(0, (int) sent.get())) expected.put(did, simulator.expected(did).records());
        return expected;
    }

    private Connection connect() throws SQLException {
        Connection c = env.postgres().connect();
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + config.dbSchema());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** The query's count, or 0 while the sink has not created its tables yet. */
    private long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // undefined table
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        for (ChildJvm c : components) c.close();
        simulator.close();
    }
}
