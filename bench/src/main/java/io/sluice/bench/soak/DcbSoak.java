package io.sluice.bench.soak;

import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.dcb.service.check.ConditionalWriters;
import io.sluice.dcb.service.check.ConsistencyFixture;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.fault.components.DcbComponent;
import io.sluice.stack.FreePorts;
import io.sluice.stack.process.ChildJvm;

import java.net.URI;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The DCB store under the soak: {@code dcb-api} (decider, events sink, HTTP API) in a JVM of its own
 * ({@link DcbComponent}), {@link #WRITERS} clients appending under random conditions, each pausing
 * {@link #PAUSE} after an answer ({@link ConditionalWriters}). At the end every acknowledged append in
 * PostgreSQL once, positions 1..N, every recorded condition held ({@link ConsistencyFixture#check}).
 */
final class DcbSoak implements SoakWorkload {

    private static final int WRITERS = 4;
    private static final Duration PAUSE = Duration.ofMillis(200);

    private final SoakEnvironment env;
    private final int port = FreePorts.next();
    private final String suffix;
    private final DcbServiceConfig config;
    private final DcbClient client;
    private final ConditionalWriters writers;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Future<?>> running = new ArrayList<>();
    private ChildJvm service;

    DcbSoak(SoakEnvironment env) {
        this.env = env;
        this.suffix = "soak-" + env.runId();
        this.config = DcbComponent.config(env.bootstrapServers(), env.registryUrl(), env.postgres(), port, suffix,
                env.dir().resolve("dcb-state"));
        this.client = new DcbClient(URI.create("http://127.0.0.1:" + port + "/"));
        this.writers = new ConditionalWriters(client, PAUSE);
    }

    @Override
    public String name() {
        return "dcb";
    }

    @Override
    public String unit() {
        return "appends";
    }

    @Override
    public void startComponents() throws Exception {
        service = DcbComponent.start(env.bootstrapServers(), env.registryUrl(), env.proxied(), port, suffix,
                env.dir().resolve("dcb-state"), env.logs().resolve("dcb-api.log"));
    }

    @Override
    public List<ChildJvm> components() {
        return service == null ? List.of() : List.of(service);
    }

    @Override
    public void startLoad() {
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            running.add(threads.submit(() -> writers.write(writer)));
        }
    }

    @Override
    public void assertLoadHealthy() {
        for (Future<?> f : running) {
            if (f.isDone()) {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IllegalStateException("a DCB writer failed", e);
                }
            }
        }
    }

    @Override
    public long sent() {
        return writers.sent();
    }

    /** Sent and not refused by its condition, not yet in PostgreSQL. */
    @Override
    public long inFlight() {
        try {
            return Math.max(0, writers.sent() - writers.failedConditions()
                    - count("SELECT count(*) FROM " + config.api().schema() + ".events WHERE (data::jsonb ->> 'batchIndex')::int = 0"));
        } catch (SQLException e) {
            return -1;
        }
    }

    @Override
    public long progress() throws SQLException {
        return count("SELECT count(*) FROM " + config.api().schema() + ".events");
    }

    @Override
    public void stopLoad() throws Exception {
        writers.stop();
        for (Future<?> f : running) f.get();
    }

    @Override
    public boolean awaitDrained(Duration timeout, Runnable poll) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Acknowledged means decided and in dcb.events; PostgreSQL follows within the sink's flush.
        while (!writers.allIn(client.readAll())) {
            if (System.nanoTime() > deadline) return false;
            poll.run();
            Thread.sleep(1_000);
        }
        return true;
    }

    @Override
    public Outcome check() {
        List<ReadEvent> all = client.readAll();
        List<String> problems = new ArrayList<>(ConsistencyFixture.check(client, all));
        return new Outcome(writers.sent(), writers.losses(all), problems);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = env.postgres().connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // the sink has not created its table yet
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        writers.stop();
        threads.shutdownNow();
        client.close();
        if (service != null) service.close();
    }
}
