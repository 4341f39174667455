package io.sluice.cli.etl;

import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The topics of one ETL test (a CDC topic, its flattener output, dead letters), and its flattener and sinks. */
record EtlTestPipeline(TestStack stack, String cdcTopic, String rowsTopic, String dlqTopic) {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    static EtlTestPipeline create(TestStack stack, String cdcTopic, int partitions) throws Exception {
        EtlTestPipeline p = new EtlTestPipeline(stack, cdcTopic, stack.unique("etl.user-rows"), stack.unique("etl.dlq"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            for (String t : List.of(cdcTopic, p.rowsTopic)) CdcEventPublisher.ensureTopic(admin, t, partitions, (short) 1, TIMEOUT);
            CdcEventPublisher.ensureTopic(admin, p.dlqTopic, 1, (short) 1, TIMEOUT);
        }
        return p;
    }

    FlattenerApp flattener() {
        return flattener(stack.unique("flattener"), Map.of());
    }

    FlattenerApp flattener(String applicationId, Map<String, ?> streamsOverrides) {
        return new FlattenerApp(new FlattenerConfig(applicationId, stack.connection(),
                Pattern.compile(Pattern.quote(cdcTopic)), rowsTopic, dlqTopic), streamsOverrides);
    }

    SinkConfig sinkConfig(String group, String schema, int batchSize) {
        return EtlSink.config(group, stack.connection(), stack.postgres().jdbcUrl())
                .credentials(stack.postgres().user(), stack.postgres().password())
                .topics(rowsTopic)
                .schema(schema)
                .dlqTopicPattern(dlqTopic)
                .batchSize(batchSize)
                .flushInterval(Duration.ofMillis(100))
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500))
                .consumerOverrides(Map.of("max.poll.records", Integer.toString(batchSize)))
                .build();
    }
}
