package io.sluice.sinks.core;

import io.sluice.sinks.core.testing.ItemsTable;
import io.sluice.sinks.core.testing.KafkaFixture;
import io.sluice.sinks.core.testing.RowsAndOffsetsCommitTogetherScenario;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The sink core, with the test table's plain-INSERT writer: a record written twice would be dead-lettered. */
@WithSluiceStack
class ExactlyOnceSinkCommitFaultIT extends RowsAndOffsetsCommitTogetherScenario {

    private static final int PARTITIONS = 3;
    private static final int RECORDS = 600;
    private static final String SCHEMA = "sluice";

    @Override
    protected Subject subject(TestStack stack) throws Exception {
        String topic = stack.unique("items-fault");
        String group = stack.unique("sink-fault");
        ItemsTable table = ItemsTable.create(stack.postgres(), SCHEMA, "items_" + group.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_"));
        try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers())) {
            kafka.createTopics(PARTITIONS, topic);
            kafka.produce(topic, 0, RECORDS, i -> "payload-" + i);
        }
        SinkConfig config = SinkConfig.builder("it-fault", group, stack.connection(), stack.postgres().jdbcUrl())
                .credentials(stack.postgres().user(), stack.postgres().password())
                .topics(topic).schema(SCHEMA)
                .batchSize(200).flushInterval(Duration.ofMillis(200))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
        return new Subject() {
            @Override
            public ExactlyOnceSink<?, ?> sink(UnaryOperator<DataSource> connections) {
                return new ExactlyOnceSink<>(config, new StringDeserializer(), new StringDeserializer(), table.writer(), connections);
            }

            @Override public String group() { return group; }
            @Override public String schema() { return SCHEMA; }
            @Override public String rowsQuery() { return "SELECT count(DISTINCT id) FROM " + SCHEMA + "." + table.name(); }
            @Override public long expectedRows() { return RECORDS; }
            @Override public long records() { return RECORDS; }

            @Override
            public Map<TopicPartition, Long> endOffsets() throws Exception {
                try (KafkaFixture kafka = new KafkaFixture(stack.bootstrapServers())) {
                    return kafka.endOffsets(topic, PARTITIONS);
                }
            }
        };
    }
}
