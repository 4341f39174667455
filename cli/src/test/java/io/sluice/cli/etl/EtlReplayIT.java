package io.sluice.cli.etl;

import io.sluice.cli.Sluice;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.ops.lag.LagReader;
import io.sluice.ops.testing.Kafka;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.etl.pipeline.check.TableRows;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ETL workload's rerun: generate users, flatten (a real Kafka Streams app) and sink them; replay
 * the sink and reset the flattener with {@code sluice replay}; run both again. The flattener
 * reprocesses every change event (the rows topic gets each bundle a second time), the sink re-reads
 * both copies, and the 15 tables come out identical, by checksum, to the first run's.
 */
@WithSluiceStack
@Timeout(180)
class EtlReplayIT {

    private static final long SEED = 11;
    private static final UserChangePlan PLAN = new UserChangePlan(200, 20, 10, false);
    private static final long BUNDLES = PLAN.users() + PLAN.updates() + PLAN.deletes();
    private static final String SCHEMA = "etl_replay";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** A closed Kafka Streams instance stays a group member until its session times out: keep that short. */
    private static final Map<String, Object> SHORT_SESSION =
            Map.of(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000, StreamsConfig.consumerPrefix("heartbeat.interval.ms"), 1_000);

    @Test
    void aReplayedSinkAndAResetFlattenerRebuildTheSameTables(TestStack stack) throws Exception {
        String database = stack.unique("replay").replace('-', '_');
        String topic = TopicNames.cdcUsers(database);
        StringWriter out = new StringWriter();
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(out, true)).execute(
                "generate-users", "--users", "" + PLAN.users(), "--updates", "" + PLAN.updates(), "--deletes", "" + PLAN.deletes(),
                "--seed", "" + SEED, "--db", database, "--partitions", "2",
                "--bootstrap-server", stack.bootstrapServers(), "--registry-url", stack.registryUrl());
        assertThat(exit).as(out.toString()).isZero();

        EtlTestPipeline pipeline = EtlTestPipeline.create(stack, topic, 2);
        String flattenerId = stack.unique("flattener");
        String sinkGroup = stack.unique("etl-sink");

        try (FlattenerApp flattener = pipeline.flattener(flattenerId, SHORT_SESSION);
             RunningEtlSink sink = RunningEtlSink.start(pipeline.sinkConfig(sinkGroup, SCHEMA, 100), stack.registryUrl())) {
            flattener.start();
            StoredProgress progress = new StoredProgress(stack, pipeline.rowsTopic(), SCHEMA, sinkGroup, BUNDLES);
            // ignoring the missing sluice_offsets until the sink has migrated its schema
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).failFast(sink::assertRunning).ignoreExceptions()
                    .until(() -> progress.committedBundles() == BUNDLES);
        }
        Map<String, String> first = checksums(stack);
        EtlAssertions.assertTables(stack, SCHEMA, EtlAssertions.finalDocuments(SEED, PLAN));

        try (Admin admin = Kafka.admin(stack)) {
            LagReader lag = new LagReader(admin, Optional.empty());
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> lag.read(List.of(flattenerId)).getFirst().members() == 0);
        }
        assertThat(SluiceRun.of(stack, "replay", "--group", sinkGroup, "--to-earliest", "--execute").ok()).contains("(sink: sluice_offsets");
        String reset = SluiceRun.of(stack, "replay", "--group", flattenerId, "--to-earliest", "--streams-app", "--execute").ok();
        assertThat(reset).contains("(Streams application: full reset)").contains("replayed " + flattenerId);

        try (FlattenerApp flattener = pipeline.flattener(flattenerId, SHORT_SESSION);
             RunningEtlSink sink = RunningEtlSink.start(pipeline.sinkConfig(sinkGroup, SCHEMA, 100), stack.registryUrl())) {
            flattener.start();
            // the flattener wrote every bundle again, and the sink read both copies from the start
            await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).failFast(sink::assertRunning)
                    .until(() -> sink.counters().recordsWritten() >= 2 * BUNDLES);
            assertThat(new StoredProgress(stack, pipeline.rowsTopic(), SCHEMA, sinkGroup, 2 * BUNDLES).committedBundles())
                    .isEqualTo(2 * BUNDLES);
            assertThat(sink.counters().recordsWritten()).isEqualTo(2 * BUNDLES);
            assertThat(sink.counters().deadLettered()).isZero();
        }
        assertThat(checksums(stack)).isEqualTo(first);
    }

    private static Map<String, String> checksums(TestStack stack) throws Exception {
        try (Connection c = stack.connect()) {
            return TableRows.read(c, SCHEMA).checksums();
        }
    }
}
