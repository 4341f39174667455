package io.sluice.sinks.backfill;

import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.TestSinks;
import io.sluice.sinks.core.testing.KafkaFixture;
import io.sluice.sinks.core.testing.RowsAndOffsetsCommitTogetherScenario;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The records sink: {@link BackfillWriter} on the sink core, both topics. Its upserts are idempotent, so a
 * second commit of the same rows would not show in the tables: only the state between the failed batch
 * and its retry does.
 */
@WithSluiceStack
class RecordsSinkCommitFaultIT extends RowsAndOffsetsCommitTogetherScenario {

    private static final int PARTITIONS = 3;
    private static final int DIDS = 20;
    private static final int RECORDS_PER_DID = 10;

    @Override
    protected Subject subject(TestStack stack) throws Exception {
        String suffix = stack.unique("fault");
        RecordsSinkTopics topics = new RecordsSinkTopics("records-" + suffix, "status-" + suffix);
        String dlq = "dlq-" + suffix;
        TopicAdmin.ensure(stack.connection(), List.of(topics.records(), topics.status(), dlq), PARTITIONS, Duration.ofSeconds(30));
        String schema = suffix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        String group = "records-" + suffix;
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        produce(stack, serdes, topics);
        SinkConfig config = RecordsSink.config(stack.connection(), stack.postgres().jdbcUrl(), group, topics)
                .credentials(stack.postgres().user(), stack.postgres().password())
                .schema(schema).dlqTopicPattern(dlq)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        return new Subject() {
            @Override
            public ExactlyOnceSink<?, ?> sink(UnaryOperator<DataSource> connections) {
                // RecordsSink.create's parts, put together through the core's test seam.
                TopicDispatchingDeserializer values = new TopicDispatchingDeserializer(Map.of(
                        topics.records(), serdes.specificValue(RepoRecord.class).deserializer(),
                        topics.status(), serdes.specificValue(DidStatus.class).deserializer()));
                return TestSinks.connectingThrough(connections, config, serdes.stringKey().deserializer(), values,
                        new BackfillWriter());
            }

            @Override public String group() { return group; }
            @Override public String schema() { return schema; }

            @Override
            public String rowsQuery() {
                return "SELECT (SELECT count(*) FROM " + schema + ".repo_records) + (SELECT count(*) FROM " + schema + ".backfill_dids)";
            }

            @Override public long expectedRows() { return DIDS * RECORDS_PER_DID + DIDS; }
            @Override public long records() { return DIDS * RECORDS_PER_DID + DIDS; }

            @Override
            public Map<TopicPartition, Long> endOffsets() throws Exception {
                Map<TopicPartition, Long> ends = new HashMap<>();
                try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers())) {
                    ends.putAll(kafka.endOffsets(topics.records(), PARTITIONS));
                    ends.putAll(kafka.endOffsets(topics.status(), PARTITIONS));
                }
                // A partition that got no record has no stored offset.
                ends.values().removeIf(end -> end == 0);
                return ends;
            }
        };
    }

    private static void produce(TestStack stack, AvroSerdes serdes, RecordsSinkTopics topics) {
        Serializer<String> keys = serdes.stringKey().serializer();
        Serializer<RepoRecord> recordValues = serdes.specificValue(RepoRecord.class).serializer();
        Serializer<DidStatus> statusValues = serdes.specificValue(DidStatus.class).serializer();
        String rt = topics.records();
        String st = topics.status();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int d = 0; d < DIDS; d++) {
                String did = RecordsSinkIT.did(d);
                for (int i = 0; i < RECORDS_PER_DID; i++) {
                    RepoRecord r = RecordsSinkIT.record(did, "app.bsky.feed.post", RecordsSinkIT.rkey(i),
                            RecordsSinkIT.json("app.bsky.feed.post", did, i));
                    producer.send(new ProducerRecord<>(rt, keys.serialize(rt, did), recordValues.serialize(rt, r)));
                }
                DidStatus done = RecordsSinkIT.status(did, DidState.DONE, 3, RECORDS_PER_DID);
                producer.send(new ProducerRecord<>(st, keys.serialize(st, did), statusValues.serialize(st, done)));
            }
            producer.flush();
        }
    }
}
