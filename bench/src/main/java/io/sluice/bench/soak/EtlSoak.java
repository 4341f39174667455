package io.sluice.bench.soak;

import io.debezium.util.Clock;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.etl.pipeline.check.ExpectedTables;
import io.sluice.etl.pipeline.check.TableRows;
import io.sluice.fault.components.EtlComponent;
import io.sluice.fault.components.EtlComponent.Kind;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.stack.process.ChildJvm;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ETL under the soak: Debezium change events (creates, updates and deletes of up to {@link #MAX_LIVE}
 * users) at a steady {@link #CHUNK} every {@link #CHUNK_EVERY}; the flattener and the ETL sink each in a
 * JVM of its own ({@link EtlComponent}). At the end the 15 tables equal to what the live documents say,
 * row by row ({@link TableRows#losses}, {@link TableRows#matches}).
 */
final class EtlSoak implements SoakWorkload {

    private static final int MAX_LIVE = 1_000; // bounds the documents kept and the tables compared at the end
    private static final int CHUNK = 10;
    private static final Duration CHUNK_EVERY = Duration.ofMillis(500); // 20 changes a second

    private final SoakEnvironment env;
    private final String name;
    private final UserChangeFeed feed;
    private final EtlPipelineConfig config;
    private final Random random;
    private final TreeSet<Long> live = new TreeSet<>();
    private final List<ChildJvm> components = new ArrayList<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Admin admin;
    private long nextId = 1;
    private CompletableFuture<Void> load;
    private TableRows expected;

    EtlSoak(SoakEnvironment env, long seed) {
        this.env = env;
        this.name = "soak-etl-" + env.runId();
        this.feed = new UserChangeFeed(new UserGenerator(seed), new MongoChangeEvents(name.replace('-', '_'), Clock.system()));
        this.random = new Random(seed);
        this.config = EtlComponent.config(env.bootstrapServers(), env.registryUrl(), env.postgres(), name, feed.topic(),
                env.dir().resolve("etl-state"));
        this.admin = Admin.create(ConnectionSettings.plaintext(env.bootstrapServers(), env.registryUrl()).admin());
    }

    @Override
    public String name() {
        return "etl";
    }

    @Override
    public String unit() {
        return "changes";
    }

    @Override
    public void startComponents() throws Exception {
        // The flattener creates the topics, so it goes first.
        for (Kind kind : List.of(Kind.FLATTENER, Kind.SINK)) {
            components.add(EtlComponent.start(kind, env.bootstrapServers(), env.registryUrl(), env.proxied(), name, feed.topic(),
                    env.dir().resolve("etl-state"), env.logs().resolve("etl-" + kind.name().toLowerCase(Locale.ROOT) + ".log")));
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

    private void publish() {
        ConnectionSettings connection = ConnectionSettings.plaintext(env.bootstrapServers(), env.registryUrl());
        CdcEventPublisher[] publisher = {publisher(connection)};
        try {
            while (!stop.get()) {
                long next = System.nanoTime() + CHUNK_EVERY.toNanos();
                List<SourceRecord> chunk = new ArrayList<>();
                for (int i = 0; i < CHUNK; i++) chunk.addAll(change());
                Resend.untilAcknowledged("changes", () -> {
                    try {
                        publisher[0].publish(chunk); // returns once acknowledged
                    } catch (RuntimeException e) {
                        publisher[0].close(); // a producer that timed out is replaced, not trusted again
                        publisher[0] = publisher(connection);
                        throw e;
                    }
                });
                sent.addAndGet(chunk.stream().filter(change -> change.value() != null).count()); // a tombstone is no change
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

    private CdcEventPublisher publisher(ConnectionSettings connection) {
        return CdcEventPublisher.create(connection, HttpSchemaRegistryClient.create(env.registryUrl()), Map.of());
    }

    /** The next change: a create while few users live, else an update (most), a create or a delete. */
    private List<SourceRecord> change() {
        double r = random.nextDouble();
        if (live.size() < 50 || (r < 0.3 && live.size() < MAX_LIVE)) {
            long id = nextId++;
            live.add(id);
            return feed.create(id, id);
        }
        long id = pick();
        if (r < 0.85) return List.of(feed.update(id));
        live.remove(id);
        return feed.delete(id);
    }

    private long pick() {
        Long id = live.ceiling(1 + (long) (random.nextDouble() * (nextId - 1)));
        return id != null ? id : live.first();
    }

    @Override
    public void assertLoadHealthy() {
        if (load.isCompletedExceptionally()) load.join();
    }

    @Override
    public long sent() {
        return sent.get();
    }

    /**
     * Changes the flattener has not consumed (its committed offsets on the change topic) plus row bundles
     * the sink has not stored (its offsets in PostgreSQL on the rows topic, whose transaction markers take
     * offsets too: an upper bound, up to about twice the bundles when the flattener commits often).
     */
    @Override
    public long inFlight() {
        try {
            return lag(config.sourceTopic().orElseThrow(), kafkaCommitted()) + lag(config.rowsTopic(), storedOffsets());
        } catch (Exception e) {
            return -1;
        }
    }

    private long lag(String topic, Map<Integer, Long> consumed) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < config.partitions(); p++) latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        long lag = 0;
        for (var e : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
            lag += Math.max(0, e.getValue().offset() - consumed.getOrDefault(e.getKey().partition(), 0L));
        }
        return lag;
    }

    private Map<Integer, Long> kafkaCommitted() throws Exception {
        Map<Integer, Long> out = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.applicationId())
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        committed.forEach((tp, o) -> {
            if (o != null) out.put(tp.partition(), o.offset());
        });
        return out;
    }

    private Map<Integer, Long> storedOffsets() throws SQLException {
        Map<Integer, Long> out = new HashMap<>();
        try (Connection c = env.postgres().connect(); PreparedStatement st = c.prepareStatement("SELECT partition, next_offset FROM "
                + config.dbSchema() + ".sluice_offsets WHERE group_id = ? AND topic = ?")) {
            st.setString(1, config.groupId());
            st.setString(2, config.rowsTopic());
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) out.put(rs.getInt(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            if (!"42P01".equals(e.getSQLState())) throw e; // the sink has not created its tables yet
        }
        return out;
    }

    /** Row bundles (and transaction markers) the sink has stored: its offsets on the rows topic. */
    @Override
    public long progress() throws SQLException {
        return storedOffsets().values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void stopLoad() {
        stop.set(true);
        load.join();
        List<BsonDocument> documents = new ArrayList<>();
        for (long id : live) documents.add(feed.document(id));
        expected = ExpectedTables.of(documents);
    }

    @Override
    public boolean awaitDrained(Duration timeout, Runnable poll) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!expected.matches(actual())) {
            if (System.nanoTime() > deadline) return false;
            poll.run();
            Thread.sleep(2_000); // reading 15 tables is not free
        }
        return true;
    }

    @Override
    public Outcome check() throws Exception {
        TableRows actual = actual();
        List<String> problems = expected.matches(actual) ? List.of()
                : List.of("the 15 tables differ from the live documents (counts or checksums)");
        return new Outcome(sent.get(), expected.losses(actual), problems);
    }

    private TableRows actual() throws SQLException {
        try (Connection c = env.postgres().connect()) {
            return TableRows.read(c, config.dbSchema());
        }
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        for (ChildJvm c : components) c.close();
        admin.close(Duration.ofSeconds(5));
    }
}
