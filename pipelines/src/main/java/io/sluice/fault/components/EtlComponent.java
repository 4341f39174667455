package io.sluice.fault.components;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.etl.pipeline.EtlPipeline;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.process.ChildJvm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The ETL's flattener and ETL sink each in a JVM of its own, configured as {@link EtlPipeline} configures
 * them (as {@code sluice flattener} and {@code sluice etl-sink} do).
 */
public final class EtlComponent {

    public enum Kind { FLATTENER, SINK }

    private static final Duration START = Duration.ofSeconds(120);

    private EtlComponent() {
    }

    /** The pipeline's settings, the same in the child processes and in the test. */
    public static EtlPipelineConfig config(String bootstrap, String registry, PostgresEndpoint postgres, String name,
                                           String sourceTopic, Path stateDir) {
        return EtlPipelineConfig.builder(ConnectionSettings.plaintext(bootstrap, registry), postgres)
                .sourceTopic(sourceTopic)
                .rowsTopic(name + ".user-rows")
                .dlqTopic(name + ".dlq")
                .applicationId(name + "-flattener")
                .groupId(name + "-sink")
                .partitions(2)
                .sinkInstances(0)
                .dbSchema(name.replace('-', '_'))
                .sinkBatchSize(50)
                .sinkFlushInterval(Duration.ofMillis(100))
                .stateDir(stateDir)
                .build();
    }

    public static ChildJvm start(Kind kind, String bootstrap, String registry, PostgresEndpoint postgres, String name,
                                 String sourceTopic, Path stateDir, Path log) throws IOException, InterruptedException {
        return ChildJvm.start(kind.name().toLowerCase(java.util.Locale.ROOT), EtlComponent.class, List.of(kind.name(), bootstrap,
                registry, postgres.jdbcUrl(), postgres.user(), postgres.password(), name, sourceTopic, stateDir.toString()),
                ChildJvm.SMALL, log, START);
    }

    /** Runs the component until killed. Args: kind bootstrap registry jdbcUrl user password name sourceTopic stateDir. */
    public static void main(String[] args) throws Exception {
        EtlPipelineConfig config = config(args[1], args[2], new PostgresEndpoint(args[3], args[4], args[5]), args[6], args[7],
                Path.of(args[8]));
        switch (Kind.valueOf(args[0])) {
            case FLATTENER -> {
                EtlPipeline flattener = EtlPipeline.start(config); // no sink instances: the flattener alone
                flattener.awaitRunning(START);
                ChildJvm.announceRunning();
                try {
                    while (true) {
                        Thread.sleep(1_000);
                        flattener.assertHealthy();
                    }
                } catch (IllegalStateException e) {
                    e.printStackTrace(); // a failed flattener ends the process, which the test sees
                    System.exit(1);
                }
            }
            case SINK -> {
                EtlPipeline.ensureTopics(config);
                ExactlyOnceSink<Long, UserRows> sink = EtlSink.create(EtlPipeline.sinkConfig(config).build(), EtlPipeline.rowsTopic(config));
                ChildJvm.announceRunning();
                sink.run();
                System.exit(1); // run() returns only when closed, which nothing here does
            }
        }
    }
}
