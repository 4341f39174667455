package io.sluice.etl.pipeline.testing;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.state.StateDirectory;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.pipeline.EtlPipeline;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.process.ChildJvm;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The flattener or an ETL sink of an {@link EtlPipeline} in a JVM of its own ({@link ChildJvm}),
 * configured as {@code sluice flattener} and {@code sluice etl-sink} configure theirs
 * ({@link EtlPipeline#streamsOverrides}, {@link EtlPipeline#sinkConfig(EtlPipelineConfig, String)}, the
 * client ids {@code --instance-id} gives), so a test can SIGKILL it.
 */
public final class EtlStageProcess {

    public enum Stage { FLATTENER, SINK }

    private EtlStageProcess() {
    }

    /**
     * Starts {@code stage} of {@code config} (a config of its topics, ids, schema and sink settings; a
     * flattener needs a state directory of its own) as instance {@code instanceId}; returns once it runs.
     */
    public static ChildJvm start(Stage stage, String bootstrapServers, String registryUrl, EtlPipelineConfig config,
                                 String instanceId, Path log, Duration timeout) throws IOException, InterruptedException {
        PostgresEndpoint pg = config.postgres();
        return ChildJvm.start(stage.name().toLowerCase() + "-" + instanceId, EtlStageProcess.class, List.of(stage.name(),
                bootstrapServers, registryUrl, pg.jdbcUrl(), pg.user(), pg.password(), config.sourceTopic().orElseThrow(),
                config.rowsTopic(), config.dlqTopic(), config.applicationId(), config.groupId(),
                Integer.toString(config.partitions()), config.dbSchema(), Integer.toString(config.sinkBatchSize()),
                Long.toString(config.sinkFlushInterval().toMillis()), config.stateDir().map(Path::toString).orElse(""),
                instanceId), "384m", log, timeout);
    }

    /**
     * Runs the stage until killed. Args: stage bootstrap registry jdbcUrl user password sourceTopic rowsTopic
     * dlqTopic applicationId groupId partitions schema batchSize flushMs stateDir instanceId.
     */
    public static void main(String[] args) throws Exception {
        Stage stage = Stage.valueOf(args[0]);
        String instanceId = args[16];
        EtlPipelineConfig config = EtlPipelineConfig.builder(ConnectionSettings.plaintext(args[1], args[2]),
                        new PostgresEndpoint(args[3], args[4], args[5]))
                .sourceTopic(args[6]).rowsTopic(args[7]).dlqTopic(args[8]).applicationId(args[9]).groupId(args[10])
                .partitions(Integer.parseInt(args[11])).sinkInstances(0).dbSchema(args[12])
                .sinkBatchSize(Integer.parseInt(args[13])).sinkFlushInterval(Duration.ofMillis(Long.parseLong(args[14])))
                .stateDir(args[15].isEmpty() ? null : Path.of(args[15]))
                .flattenerOverrides(Map.of(StreamsConfig.CLIENT_ID_CONFIG, "sluice-flattener-" + instanceId))
                .build();
        switch (stage) {
            case FLATTENER -> {
                StateDirectory state = EtlPipeline.claimStateDirectory(config);
                FlattenerApp app = new FlattenerApp(config.flattener(), EtlPipeline.streamsOverrides(config, state));
                app.start();
                ChildJvm.announceRunning();
                while (app.state() != KafkaStreams.State.ERROR && app.state() != KafkaStreams.State.NOT_RUNNING) {
                    Thread.sleep(200); // runs until killed
                }
                System.out.println("the flattener is " + app.state());
                System.exit(1);
            }
            case SINK -> {
                ExactlyOnceSink<Long, UserRows> sink = EtlSink.create(
                        EtlPipeline.sinkConfig(config, "sluice-etl-sink-" + instanceId).build(), EtlPipeline.rowsTopic(config));
                ChildJvm.announceRunning();
                sink.run();
                System.exit(1); // run() returns only when closed, which nothing here does
            }
        }
    }
}
