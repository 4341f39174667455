package io.sluice.sinks.dcb;

import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
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

import javax.sql.DataSource;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The events sink: {@link EventsWriter} on the sink core, one partition. Its writer lets a replayed
 * event through unchanged, so a second commit of the same rows would not show as a duplicate either.
 */
@WithSluiceStack
class EventsSinkCommitFaultIT extends RowsAndOffsetsCommitTogetherScenario {

    private static final int EVENTS = 500;

    @Override
    protected Subject subject(TestStack stack) throws Exception {
        String topicName = stack.unique("dcb.events-fault");
        String schema = stack.unique("dcb_fault").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        String group = stack.unique("events-sink-fault");
        Topic<Long, Event> topic = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true)
                .dcbEvents().withName(topicName);
        try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers())) {
            kafka.createTopics(1, topicName, topicName + ".dlq");
        }
        try (KafkaProducer<Long, Event> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (long p = 1; p <= EVENTS; p++) {
                producer.send(new ProducerRecord<>(topicName, 0, p, new Event(p, "Type" + (p % 3), List.of("tag:" + p),
                        "{\"n\":" + p + "}", "request-" + p, Instant.now(), null, null)));
            }
            producer.flush();
        }
        SinkConfig config = EventsSink.configure(group, stack.connection(), stack.postgres().jdbcUrl(), topicName,
                        topicName + ".dlq")
                .credentials(stack.postgres().user(), stack.postgres().password())
                .schema(schema)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        return new Subject() {
            @Override
            public ExactlyOnceSink<?, ?> sink(UnaryOperator<DataSource> connections) {
                // EventsSink.start's sink, without its thread.
                return TestSinks.connectingThrough(connections, config, topic.keySerde().deserializer(),
                        topic.valueSerde().deserializer(), new EventsWriter("sluice_dcb_events_fault_it"));
            }

            @Override public String group() { return group; }
            @Override public String schema() { return schema; }
            @Override public String rowsQuery() { return "SELECT count(DISTINCT position) FROM " + schema + ".events"; }
            @Override public long expectedRows() { return EVENTS; }
            @Override public long records() { return EVENTS; }

            @Override
            public Map<TopicPartition, Long> endOffsets() throws Exception {
                try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers())) {
                    return kafka.endOffsets(topicName, 1);
                }
            }
        };
    }
}
