package io.sluice.cli.etl;

import io.debezium.util.Clock;
import io.sluice.cli.Sluice;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.generate.UserUpdates;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ETL workload end to end through the real broker, registry and PostgreSQL: Debezium-built change
 * events → flattener (exactly_once_v2) → ETL sink → the 15 tables, which must hold exactly what
 * {@code ExpectedTables} works out from the generator's documents (counts and per-table checksums).
 * The second test stops one sink and kills another (a separate {@code sluice etl-sink} process,
 * SIGKILL) in the middle of the run; the tables must still come out identical, and every change must
 * have been written exactly once across the three sinks.
 */
@WithSluiceStack
class EtlPipelineIT {

    private static final long SEED = 7;
    private static final UserChangePlan PLAN = new UserChangePlan(1_000, 100, 50, false);
    /** Bundles the plan gives: one per create, update and delete (tombstones give none). */
    private static final long BUNDLES = PLAN.users() + PLAN.updates() + PLAN.deletes();
    private static final int PARTITIONS = 3;
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void createsThenUpdatesThenDeletesLeaveWhatTheDocumentsSay(TestStack stack) throws Exception {
        String database = stack.unique("it").replace('-', '_');
        String schema = "etl_phases";
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(SEED), new MongoChangeEvents(database, Clock.system()));
        EtlTestPipeline pipeline = EtlTestPipeline.create(stack, feed.topic(), PARTITIONS);
        try (FlattenerApp flattener = pipeline.flattener();
             CdcEventPublisher publisher = CdcEventPublisher.create(stack.connection(),
                     HttpSchemaRegistryClient.create(stack.registryUrl()), Map.of());
             RunningEtlSink sink = RunningEtlSink.start(pipeline.sinkConfig(stack.unique("sink"), schema, 500), stack.registryUrl())) {
            flattener.start();
            Map<Long, BsonDocument> live = new TreeMap<>();
            UserGenerator generator = new UserGenerator(SEED);

            publisher.publish(feed.create(1, PLAN.users()));
            for (long id = 1; id <= PLAN.users(); id++) live.put(id, generator.user(id));
            awaitWritten(sink, PLAN.users());
            EtlAssertions.assertTables(stack, schema, live);

            List<SourceRecord> updates = new ArrayList<>();
            for (long id : PLAN.updatedIds()) {
                updates.add(feed.update(id));
                live.put(id, new UserUpdates(generator).update(generator.user(id), 1));
            }
            publisher.publish(updates);
            awaitWritten(sink, PLAN.users() + PLAN.updates());
            EtlAssertions.assertTables(stack, schema, live);

            List<SourceRecord> deletes = new ArrayList<>();
            for (long id : PLAN.deletedIds()) {
                deletes.addAll(feed.delete(id));
                live.remove(id);
            }
            publisher.publish(deletes);
            awaitWritten(sink, BUNDLES);
            EtlAssertions.assertTables(stack, schema, live);
            assertThat(live).hasSize(950);
            assertThat(sink.counters().deadLettered()).isZero();
        }
    }

    @Test
    void aSinkStoppedAndASinkKilledMidRunLeaveIdenticalTablesWithEveryChangeWrittenOnce(TestStack stack) throws Exception {
        String database = stack.unique("it").replace('-', '_');
        String schema = "etl_restarts";
        String topic = TopicNames.cdcUsers(database);
        // The plan goes out through the CLI itself.
        StringWriter out = new StringWriter();
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute(
                "generate-users", "--users", "" + PLAN.users(), "--updates", "" + PLAN.updates(), "--deletes", "" + PLAN.deletes(),
                "--seed", "" + SEED, "--db", database, "--partitions", "" + PARTITIONS,
                "--bootstrap-server", stack.bootstrapServers(), "--registry-url", stack.registryUrl());
        assertThat(exit).as(out.toString()).isZero();
        assertThat(out.toString()).contains("published 1,200 events to " + topic);

        EtlTestPipeline pipeline = EtlTestPipeline.create(stack, topic, PARTITIONS);
        String group = stack.unique("sink");
        try (FlattenerApp flattener = pipeline.flattener()) {
            flattener.start();
            // 1. Stopped (closed) after a few of its small batches.
            RunningEtlSink a = RunningEtlSink.start(pipeline.sinkConfig(group, schema, 40), stack.registryUrl());
            try (a) {
                awaitWritten(a, 300);
            }
            long first = a.counters().recordsWritten();
            assertThat(first).isBetween(300L, BUNDLES - 1);

            // 2. `sluice etl-sink` in a process of its own, killed with SIGKILL after it committed a batch.
            StoredProgress progress = new StoredProgress(stack, pipeline.rowsTopic(), schema, group, BUNDLES);
            assertThat(progress.committedBundles()).isEqualTo(first);
            Process killed = etlSinkProcess(stack, pipeline.rowsTopic(), schema, group);
            try {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).failFast(() -> !killed.isAlive())
                        .until(() -> progress.committedBundles() > first);
            } finally {
                killed.destroyForcibly().waitFor();
            }
            long second = progress.committedBundles() - first;
            assertThat(second).isPositive();

            // 3. Another instance of the group finishes from the stored offsets.
            RunningEtlSink c = RunningEtlSink.start(pipeline.sinkConfig(group, schema, 40), stack.registryUrl());
            try (c) {
                await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).failFast(c::assertRunning)
                        .until(() -> progress.committedBundles() == BUNDLES);
            }
            long third = c.counters().recordsWritten();
            assertThat(first + second + third).as("each bundle written exactly once").isEqualTo(BUNDLES);
        }
        EtlAssertions.assertTables(stack, schema, EtlAssertions.finalDocuments(SEED, PLAN));
    }

    private static void awaitWritten(RunningEtlSink sink, long bundles) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).failFast(sink::assertRunning)
                .until(() -> sink.counters().recordsWritten() >= bundles);
    }

    private static Process etlSinkProcess(TestStack stack, String rowsTopic, String schema, String group) throws Exception {
        Path log = Path.of("target", "failsafe-reports", "EtlPipelineIT-etl-sink-" + group + ".log");
        log.getParent().toFile().mkdirs();
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Sluice.class.getName(), "etl-sink",
                "--bootstrap-server", stack.bootstrapServers(), "--registry-url", stack.registryUrl(),
                "--pg-url", stack.postgres().jdbcUrlWithCredentials(), "--schema", schema, "--group", group,
                "--topic", rowsTopic, "--batch-size", "40");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SLUICE_LOG_LEVEL", "INFO");
        assertThat(new File(pb.command().getFirst())).exists();
        return pb.start();
    }
}
