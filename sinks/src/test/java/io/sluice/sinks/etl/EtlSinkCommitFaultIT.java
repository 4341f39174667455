package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.TestSinks;
import io.sluice.sinks.core.testing.KafkaFixture;
import io.sluice.sinks.core.testing.RowsAndOffsetsCommitTogetherScenario;
import io.sluice.sinks.etl.testing.TestBundles;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The ETL sink: {@link UserRowsWriter} (DELETEs, COPY, user positions) on the sink core. */
@WithSluiceStack
class EtlSinkCommitFaultIT extends RowsAndOffsetsCommitTogetherScenario {

    private static final int PARTITIONS = 3;
    private static final int USERS = 60;

    @Override
    protected Subject subject(TestStack stack) throws Exception {
        String topicName = stack.unique("etl.user-rows-fault");
        String dlq = stack.unique("etl.dlq-fault");
        String schema = stack.unique("etl_fault").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        String group = stack.unique("etl-sink-fault");
        Topic<Long, UserRows> topic = Topics.fromConfig(new AvroSerdeConfig(stack.registryUrl(), true, false))
                .etlUserRows().withName(topicName);
        try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers());
             KafkaProducer<Long, UserRows> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                     topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            kafka.createTopics(PARTITIONS, topicName);
            kafka.createTopics(1, dlq);
            for (long u = 0; u < USERS; u++) {
                producer.send(new ProducerRecord<>(topicName, (int) (u % PARTITIONS), u, TestBundles.bundle(u, 1))).get();
            }
        }
        SinkConfig config = EtlSink.config(group, stack.connection(), stack.postgres().jdbcUrl())
                .credentials(stack.postgres().user(), stack.postgres().password())
                .topics(topicName).schema(schema).dlqTopicPattern(dlq)
                .flushInterval(Duration.ofMillis(200))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        return new Subject() {
            @Override
            public ExactlyOnceSink<?, ?> sink(UnaryOperator<DataSource> connections) {
                return TestSinks.connectingThrough(connections, config, topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer(), new UserRowsWriter(schema));
            }

            @Override public String group() { return group; }
            @Override public String schema() { return schema; }
            @Override public String rowsQuery() { return "SELECT count(*) FROM " + schema + ".users"; }
            @Override public long expectedRows() { return USERS; }
            @Override public long records() { return USERS; }

            @Override
            public Map<TopicPartition, Long> endOffsets() throws Exception {
                try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers())) {
                    return kafka.endOffsets(topicName, PARTITIONS);
                }
            }
        };
    }
}
