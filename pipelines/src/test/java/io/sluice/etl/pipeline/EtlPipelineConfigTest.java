package io.sluice.etl.pipeline;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.stack.PostgresEndpoint;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EtlPipelineConfigTest {

    private static final ConnectionSettings CONNECTION = ConnectionSettings.plaintext("localhost:9092", "http://localhost:8080/apis/ccompat/v7");
    private static final PostgresEndpoint POSTGRES = new PostgresEndpoint("jdbc:postgresql://localhost:5432/sluice", "postgres", "secret");

    @Test
    void defaultsAreThoseOfTheFlattenerAndEtlSinkCommands() {
        EtlPipelineConfig config = EtlPipelineConfig.builder(CONNECTION, POSTGRES).build();

        assertThat(config.flattener().applicationId()).isEqualTo(FlattenerConfig.DEFAULT_APPLICATION_ID);
        assertThat(config.sourcePattern().pattern()).isEqualTo(TopicNames.CDC_USERS_PATTERN.pattern());
        assertThat(config.sourceTopic()).isEmpty();
        assertThat(config.partitions()).isEqualTo(4);
        SinkConfig sink = EtlPipeline.sinkConfig(config).build();
        assertThat(sink.groupId()).isEqualTo(EtlSink.GROUP_ID);
        assertThat(sink.topics()).containsExactly(TopicNames.ETL_USER_ROWS);
        assertThat(sink.dlqTopicFor(TopicNames.ETL_USER_ROWS)).isEqualTo(TopicNames.ETL_DLQ);
        assertThat(sink.batchSize()).isEqualTo(EtlSink.BATCH_SIZE);
        assertThat(sink.consumerOverrides()).containsEntry("max.poll.records", Integer.toString(EtlSink.BATCH_SIZE));
        assertThat(sink.schema()).isEqualTo("public");
    }

    @Test
    void theSinksBatchSizeIsAlsoWhatOnePollBrings() {
        EtlPipelineConfig config = EtlPipelineConfig.builder(CONNECTION, POSTGRES).sinkBatchSize(40).build();

        assertThat(EtlPipeline.sinkConfig(config).build().consumerOverrides()).containsEntry("max.poll.records", "40");
    }

    @Test
    void aSingleSourceTopicIsReadExactlyAndCreated() {
        EtlPipelineConfig config = EtlPipelineConfig.builder(CONNECTION, POSTGRES).sourceTopic("cdc.app.users").build();

        assertThat(config.sourceTopic()).contains("cdc.app.users");
        assertThat(config.sourcePattern().matcher("cdc.app.users").matches()).isTrue();
        assertThat(config.sourcePattern().matcher("cdc.appXusers").matches()).isFalse();
    }

    @Test
    void sinksNeedPostgresButAFlattenerAloneDoesNot() {
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres is required");

        EtlPipelineConfig flattenerOnly = EtlPipelineConfig.builder(CONNECTION, null).sinkInstances(0).build();
        assertThatThrownBy(() -> EtlPipeline.sinkConfig(flattenerOnly)).hasMessageContaining("PostgreSQL");
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, POSTGRES).partitions(0).build())
                .hasMessageContaining("partitions must be >= 1");
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, POSTGRES).sinkInstances(-1).build())
                .hasMessageContaining("sinkInstances must be >= 0");
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, POSTGRES).dbSchema("Robert'); DROP").build())
                .hasMessageContaining("schema must match");
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, POSTGRES).sinkBatchSize(0).build())
                .hasMessageContaining("sinkBatchSize");
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, POSTGRES).rowsTopic("cdc.x.users").build())
                .hasMessageContaining("would read its own output");
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, POSTGRES).groupId(" ").build())
                .hasMessageContaining("groupId");
    }

    @Test
    void theFlattenerOverridesCannotTakeWhatThePipelineOwns() {
        assertThatThrownBy(() -> EtlPipelineConfig.builder(CONNECTION, POSTGRES)
                .flattenerOverrides(Map.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)).build())
                .hasMessageContaining("must not set processing.guarantee");
        EtlPipelineConfig ok = EtlPipelineConfig.builder(CONNECTION, POSTGRES)
                .flattenerOverrides(Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2)).build();
        assertThat(ok.flattenerOverrides()).containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
    }
}
