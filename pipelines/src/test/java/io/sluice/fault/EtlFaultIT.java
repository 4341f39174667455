package io.sluice.fault;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.generate.UserUpdates;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.etl.pipeline.testing.EtlTables;
import io.sluice.etl.pipeline.check.ExpectedTables;
import io.sluice.etl.pipeline.check.TableRows;
import io.sluice.fault.components.EtlComponent;
import io.sluice.fault.components.EtlComponent.Kind;
import io.sluice.fault.components.Recovery;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.stack.process.ChildJvm;
import io.sluice.stack.fault.FaultRow;
import io.sluice.stack.fault.Losses;
import io.sluice.testing.fault.FaultTable;
import io.sluice.stack.fault.PostgresProxy;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ETL (Debezium change events → flattener → ETL sink), the flattener and the sink each in a JVM of
 * its own, under a fault, on a broker in a process of its own and PostgreSQL behind a proxy the test
 * controls: creates, updates and deletes published at a steady rate, the fault once a third are sent, and
 * at the end the 15 tables equal to what the documents say (counts and per-table checksums computed
 * from the generator, {@link EtlTables#assertHold}). One {@link FaultTable} row per fault.
 */
@Tag("fault")
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EtlFaultIT extends FaultScenarios {

    private static final Logger log = LoggerFactory.getLogger(EtlFaultIT.class);
    private static final long SEED = 12;
    private static final int USERS = 300;
    private static final int UPDATES = 60;
    private static final int DELETE_EVERY = 15;
    private static final int CHUNK = 10;          // changes per send
    private static final long CHUNK_EVERY_MS = 200; // about 50 changes a second
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Override
    void run(TestStack stack, String faultName, Fault fault) throws Exception {
        String name = stack.unique("etlfault");
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(SEED), new MongoChangeEvents(name.replace('-', '_'), Clock.system()));
        Map<Long, BsonDocument> live = EtlTables.created(SEED, USERS);
        List<SourceRecord> changes = new ArrayList<>(feed.create(1, USERS));
        UserGenerator generator = new UserGenerator(SEED);
        for (long id = 1; id <= UPDATES; id++) {
            changes.add(feed.update(id));
            live.put(id, new UserUpdates(generator).update(generator.user(id), 1));
        }
        int deletes = 0;
        for (long id = DELETE_EVERY; id <= USERS; id += DELETE_EVERY) {
            changes.addAll(feed.delete(id));
            live.remove(id);
            deletes++;
        }
        long bundles = USERS + UPDATES + deletes; // a tombstone gives none

        EtlPipelineConfig config = EtlComponent.config(broker.bootstrapServers(), stack.registryUrl(), stack.postgres(), name,
                feed.topic(), dir.resolve("state"));
        List<ChildJvm> components = new ArrayList<>();
        AtomicLong sent = new AtomicLong();
        try (PostgresProxy proxy = PostgresProxy.start(stack.postgres())) {
            try {
                // The flattener creates the topics, so it goes first.
                components.add(EtlComponent.start(Kind.FLATTENER, broker.bootstrapServers(), stack.registryUrl(), proxy.endpoint(),
                        name, feed.topic(), dir.resolve("state"), logs(faultName).resolve("flattener.log")));
                components.add(EtlComponent.start(Kind.SINK, broker.bootstrapServers(), stack.registryUrl(), proxy.endpoint(),
                        name, feed.topic(), dir.resolve("state"), logs(faultName).resolve("sink.log")));
                Runnable healthy = () -> components.forEach(ChildJvm::superviseRestart);
                // The steady load begins once the sink writes: a slow start must not let every change go out before the fault.
                publish(stack, changes.subList(0, CHUNK), sent);
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (written(stack, config) == 0) {
                    healthy.run();
                    assertThat(System.nanoTime()).as("the first changes written").isLessThan(deadline);
                    Thread.sleep(50);
                }
                CompletableFuture<Void> publishing = CompletableFuture.runAsync(
                        () -> publish(stack, changes.subList(CHUNK, changes.size()), sent));
                while (sent.get() < bundles / 3) {
                    healthy.run();
                    if (publishing.isDone()) publishing.join();
                    assertThat(System.nanoTime()).as("a third of the changes sent").isLessThan(deadline);
                    Thread.sleep(20);
                }
                long sentAtFault = sent.get();
                // Only creates are sent by then (a third of the bundles is less than the users), one users row each.
                assertThat(sentAtFault).isLessThanOrEqualTo(USERS);
                long pending = sentAtFault - users(stack, config);
                log.info("{}: {} of {} row bundles sent", faultName, sentAtFault, bundles);
                assertThat(sentAtFault).as("the fault comes mid-run").isLessThan(bundles);
                long injected = fault.inject(proxy);
                long faultEnd = System.nanoTime();
                Duration recovery = Recovery.await(() -> written(stack, config), written(stack, config), bundles, faultEnd,
                        healthy, WAIT);
                publishing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                // Done when the tables hold what the documents say (or at the deadline, to count what differs):
                // the stored offsets cannot tell, as the rows topic's transaction markers take offsets too.
                TableRows expected = ExpectedTables.of(live.values());
                deadline = System.nanoTime() + WAIT.toNanos();
                while (!tablesHold(stack, config, expected) && System.nanoTime() < deadline) {
                    healthy.run();
                    Thread.sleep(500);
                }

                Losses losses;
                try (Connection c = stack.connect()) {
                    losses = expected.losses(TableRows.read(c, config.dbSchema()));
                }
                FaultTable.record(new FaultRow("etl", faultName, sentAtFault, Math.max(0, pending), injected,
                        losses.lost(), losses.duplicated(), recovery, components.stream().mapToInt(ChildJvm::restarts).sum()));
                assertThat(losses.lost()).as("rows lost").isZero();
                assertThat(losses.duplicated()).as("rows duplicated").isZero();
                try (Connection c = stack.connect()) {
                    EtlTables.assertHold(c, config.dbSchema(), live);
                }
            } finally {
                for (ChildJvm c : components) c.close();
            }
        }
    }

    /**
     * Sends the changes in order, {@link #CHUNK} at a time, waiting for each chunk's acknowledgements;
     * {@code sent} counts those that give a row bundle (all but the tombstones after deletes).
     */
    private static void publish(TestStack stack, List<SourceRecord> changes, AtomicLong sent) {
        try (CdcEventPublisher publisher = CdcEventPublisher.create(
                new TestStack(broker.bootstrapServers(), stack.registryUrl(), stack.postgres()).connection(),
                HttpSchemaRegistryClient.create(stack.registryUrl()), Map.of())) {
            for (int i = 0; i < changes.size(); i += CHUNK) {
                List<SourceRecord> chunk = changes.subList(i, Math.min(changes.size(), i + CHUNK));
                publisher.publish(chunk);
                sent.addAndGet(chunk.stream().filter(change -> change.value() != null).count());
                Thread.sleep(CHUNK_EVERY_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long users(TestStack stack, EtlPipelineConfig config) throws Exception {
        try (Connection c = stack.connect(); PreparedStatement st = c.prepareStatement("SELECT count(*) FROM " + config.dbSchema() + ".users");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean tablesHold(TestStack stack, EtlPipelineConfig config, TableRows expected) throws Exception {
        try (Connection c = stack.connect()) {
            return expected.matches(TableRows.read(c, config.dbSchema()));
        }
    }

    /** Row bundles the sink has written: its stored offsets on the rows topic (0 before it created its tables). */
    private static long written(TestStack stack, EtlPipelineConfig config) throws Exception {
        try (Connection c = stack.connect();
             PreparedStatement st = c.prepareStatement("SELECT coalesce(sum(next_offset), 0) FROM " + config.dbSchema()
                     + ".sluice_offsets WHERE group_id = ?")) {
            st.setString(1, config.groupId());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // the sink has not created its tables yet
            throw e;
        }
    }
}
