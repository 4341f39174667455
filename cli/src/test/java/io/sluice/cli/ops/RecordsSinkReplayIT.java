package io.sluice.cli.ops;

import io.sluice.ops.testing.Kafka;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.backfill.RecordsSinkTopics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backfill workload's replay at its last stage: the records sink writes repo_records and
 * backfill_dids; after {@code sluice replay --to-earliest} of its group a rerun re-reads both topics
 * and leaves both tables as they were (its upserts are idempotent).
 */
@WithSluiceStack
@Timeout(120)
class RecordsSinkReplayIT {

    private static final int DIDS = 20;
    private static final int PER_DID = 25;
    private static final long TOTAL = DIDS * PER_DID + DIDS;
    private static final String SCHEMA = "replay_backfill";
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    @Test
    void aReplayedRecordsSinkReReadsBothTopicsAndLeavesTheSameTables(TestStack stack) throws Exception {
        RecordsSinkTopics topics = new RecordsSinkTopics(stack.unique("backfill.records"), stack.unique("backfill.status"));
        String dlq = stack.unique("backfill.dlq");
        String group = stack.unique("records-sink");
        TopicAdmin.ensure(stack.connection(), List.of(topics.records(), topics.status(), dlq), 2, Duration.ofSeconds(30));
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        produce(stack, serdes, topics);

        runUntilWritten(stack, serdes, topics, dlq, group);
        String tables = checksum(stack);

        try (Admin admin = Kafka.admin(stack)) {
            assertThat(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values())
                    .as("the sink marks its Kafka offsets, so that replay knows it for a sink whatever its id")
                    .isNotEmpty().allSatisfy(o -> assertThat(o.metadata()).isEqualTo(ExactlyOnceSink.OFFSET_METADATA));
        }
        String plan = SluiceRun.of(stack, "replay", "--group", group, "--to-earliest", "--execute").ok();
        assertThat(plan).contains("(sink: sluice_offsets in PostgreSQL, then Kafka offsets)")
                .contains(topics.records()).contains(topics.status());

        runUntilWritten(stack, serdes, topics, dlq, group);
        assertThat(checksum(stack)).isEqualTo(tables);
    }

    /** Runs a records sink of {@code group} until it has written every record and status once more. */
    private static void runUntilWritten(TestStack stack, AvroSerdes serdes, RecordsSinkTopics topics, String dlq, String group) {
        ExactlyOnceSink<String, SpecificRecord> sink = RecordsSink.create(
                RecordsSink.config(stack.connection(), stack.postgres().jdbcUrl(), group, topics)
                        .credentials(stack.postgres().user(), stack.postgres().password())
                        .schema(SCHEMA).dlqTopicPattern(dlq).flushInterval(Duration.ofMillis(100)).build(), topics, serdes);
        CompletableFuture<Void> loop = CompletableFuture.runAsync(sink::run, r -> Thread.ofPlatform().daemon().start(r));
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).failFast(loop::isDone)
                    .until(() -> sink.counters().recordsWritten() >= TOTAL);
            assertThat(sink.counters().recordsWritten()).isEqualTo(TOTAL);
            assertThat(sink.counters().deadLettered()).isZero();
        } finally {
            sink.close();
        }
    }

    private static void produce(TestStack stack, AvroSerdes serdes, RecordsSinkTopics topics) {
        Serializer<String> keys = serdes.stringKey().serializer();
        Serializer<RepoRecord> records = serdes.specificValue(RepoRecord.class).serializer();
        Serializer<DidStatus> statuses = serdes.specificValue(DidStatus.class).serializer();
        String rt = topics.records();
        String st = topics.status();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int d = 0; d < DIDS; d++) {
                String did = "did:plc:replay" + d;
                for (int i = 0; i < PER_DID; i++) {
                    RepoRecord r = new RepoRecord(did, "app.bsky.feed.post", "3k" + i, "bafyreicid" + d + "x" + i, "3kaaaaaaaaaa2",
                            "{\"text\":\"post " + i + "\",\"createdAt\":\"2024-01-01T00:00:00.000Z\"}", "run-1", null);
                    producer.send(new ProducerRecord<>(rt, keys.serialize(rt, did), records.serialize(rt, r)));
                }
                DidStatus done = new DidStatus(did, "https://pds.example", DidState.DONE, (long) PER_DID, 1_000L, 1, null,
                        T0.plusSeconds(d), "run-1", 0L, null);
                producer.send(new ProducerRecord<>(st, keys.serialize(st, did), statuses.serialize(st, done)));
            }
            producer.flush();
        }
    }

    /** Row counts and an md5 of every row of both tables, in key order. */
    private static String checksum(TestStack stack) throws Exception {
        try (Connection c = stack.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (SELECT count(*) || ':' || md5(string_agg(r::text, E'\\n' ORDER BY did, collection, rkey)) FROM "
                        + SCHEMA + ".repo_records r) || ' ' || (SELECT count(*) || ':' || md5(string_agg(d::text, E'\\n' ORDER BY did)) FROM "
                        + SCHEMA + ".backfill_dids d)")) {
            rs.next();
            assertThat(rs.getString(1)).startsWith(DIDS * PER_DID + ":").contains(" " + DIDS + ":");
            return rs.getString(1);
        }
    }
}
