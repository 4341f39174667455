package io.sluice.cli.etl;

import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.pipeline.EtlPipeline;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.testing.TestStack;

import java.time.Duration;
import java.util.Map;

/**
 * The topics of one ETL test (a CDC topic, its flattener output, dead letters), and its flattener and
 * sinks, started and stopped one by one as the test needs: each configured by {@link EtlPipeline}, as the
 * commands and the demo are.
 */
record EtlTestPipeline(TestStack stack, EtlPipelineConfig config) {

    static EtlTestPipeline create(TestStack stack, String cdcTopic, int partitions) throws Exception {
        EtlPipelineConfig config = EtlPipelineConfig.builder(stack.connection(), stack.postgres())
                .sourceTopic(cdcTopic)
                .rowsTopic(stack.unique("etl.user-rows"))
                .dlqTopic(stack.unique("etl.dlq"))
                .partitions(partitions)
                .build();
        EtlPipeline.ensureTopics(config);
        return new EtlTestPipeline(stack, config);
    }

    String rowsTopic() {
        return config.rowsTopic();
    }

    String dlqTopic() {
        return config.dlqTopic();
    }

    FlattenerApp flattener() {
        return flattener(stack.unique("flattener"), Map.of());
    }

    /** A flattener in Kafka Streams' default state directory: tests restart it with the same application id. */
    FlattenerApp flattener(String applicationId, Map<String, ?> streamsOverrides) {
        EtlPipelineConfig c = config.toBuilder().applicationId(applicationId).flattenerOverrides(streamsOverrides).build();
        return new FlattenerApp(c.flattener(), c.flattenerOverrides());
    }

    SinkConfig sinkConfig(String group, String schema, int batchSize) {
        EtlPipelineConfig c = config.toBuilder().groupId(group).dbSchema(schema).sinkBatchSize(batchSize)
                .sinkFlushInterval(Duration.ofMillis(100)).build();
        return EtlPipeline.sinkConfig(c)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .build();
    }
}
