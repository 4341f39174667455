package io.sluice.cli.etl;

import io.sluice.cli.ConnectionOptions;
import io.sluice.cli.InstanceOptions;
import io.sluice.cli.StopSignals;
import io.sluice.common.client.ClusterCheck;
import io.sluice.common.state.StateDirectory;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.etl.flatten.UnknownFields;
import io.sluice.etl.pipeline.EtlPipeline;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.cli.MetricsOptions;
import io.sluice.schemas.topics.TopicNames;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code sluice flattener}: runs {@link FlattenerApp} (Kafka Streams, exactly_once_v2) until Ctrl-C.
 * Consumes every topic matching the source pattern ({@code cdc.<db>.users}); produces
 * {@code etl.user-rows} and {@code etl.dlq}, creating them first if they do not exist (an idempotent
 * producer must not send to a topic that is still being created). Exits 0 on Ctrl-C or SIGTERM, 1 if the
 * Streams application dies.
 */
@Command(name = "flattener",
        description = {
                "Run the ETL flattener (cdc.<db>.users -> etl.user-rows) until Ctrl-C.",
                "A Kafka Streams application (exactly_once_v2) that turns each Debezium change event of a "
                        + "user document into one bundle of the user's rows in the 15 tables (or a deletion). "
                        + "Events it cannot map go to etl.dlq with the reason in headers. Start more instances "
                        + "with the same --application-id to share the partitions."},
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  SLUICE_KAFKA_BOOTSTRAP, SLUICE_REGISTRY_URL  defaults of --bootstrap-servers, --registry-url",
                "  SLUICE_FLATTENER_APP_ID                      default of --application-id",
                "  SLUICE_FLATTENER_SOURCE_PATTERN              default of --source-pattern"})
public final class FlattenerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    ConnectionOptions services;

    @Mixin
    MetricsOptions metricsOptions;

    @Mixin
    InstanceOptions instance;

    @Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:SLUICE_FLATTENER_APP_ID:-" + FlattenerConfig.DEFAULT_APPLICATION_ID + "}",
            description = "Streams application id: consumer group and internal topic prefix (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--source-pattern", paramLabel = "REGEX", defaultValue = "${env:SLUICE_FLATTENER_SOURCE_PATTERN}",
            description = "CDC topics to read (default: every cdc.<db>.users).")
    String sourcePattern;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Stream threads of this instance (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "" + EtlPipelineConfig.DEFAULT_PARTITIONS,
            description = "Partitions of etl.user-rows when this command creates it (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--unknown-fields", paramLabel = "POLICY", defaultValue = "ignore",
            description = "A document field the mapping does not know: ignore drops it, dlq sends the change to "
                    + "etl.dlq (reason unknown-field, the field's path in the message). One of: ignore, dlq "
                    + "(default: ${DEFAULT-VALUE}).")
    String unknownFields;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state.dir of this instance; one instance at a time. Default: a directory of "
                    + "this instance's own, ${sys:java.io.tmpdir}/sluice-streams/<application id>[.N] (N when another "
                    + "instance on this host holds the first).")
    Path stateDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        EtlPipelineConfig pipeline = config();
        FlattenerConfig config = pipeline.flattener().withUnknownFields(unknownFieldPolicy());
        ClusterCheck.verify(config.connection());
        EtlPipeline.ensureTopics(pipeline);
        StopSignals stop = StopSignals.install(err);
        try (StateDirectory state = stateDir == null
                ? StateDirectory.claimDefault(StateDirectory.defaultBase(), config.applicationId())
                : StateDirectory.claim(stateDir, "--state-dir")) {
            FlattenerApp app = new FlattenerApp(config, EtlPipeline.streamsOverrides(pipeline, state));
            ComponentMetrics metrics = metricsOptions.start("flattener", err);
            metrics.bind(app.metrics());
            app.start();
            err.printf("flattener %s running: %s -> %s (dead letters: %s, state: %s). Press Ctrl-C to stop.%n",
                    config.applicationId(), config.sourcePattern(), config.outputTopic(), config.dlqTopic(), state.path());
            err.flush();
            try (metrics) {
                UntilStopped.await(stop, app, () -> failure(app.state()), err);
            }
        }
        err.println("flattener stopped");
        return 0;
    }

    /** The ETL pipeline's settings with this instance's options, and no sinks: they run as {@code etl-sink}. */
    EtlPipelineConfig config() {
        try {
            if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            if (partitions < 1) throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            Pattern source = sourcePattern == null || sourcePattern.isBlank()
                    ? TopicNames.CDC_USERS_PATTERN : Pattern.compile(sourcePattern);
            return EtlPipelineConfig.builder(services.kafkaAndRegistry(), null)
                    .sinkInstances(0)
                    .applicationId(applicationId)
                    .sourcePattern(source)
                    .partitions(partitions)
                    .flattenerOverrides(Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads,
                            // Streams names its clients after it: sluice-flattener-ID-StreamThread-1-consumer, ...
                            StreamsConfig.CLIENT_ID_CONFIG, instance.clientId("sluice-flattener")))
                    .build();
        } catch (PatternSyntaxException e) {
            throw new ParameterException(spec.commandLine(), "--source-pattern is not a regular expression: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private UnknownFields unknownFieldPolicy() {
        try {
            return UnknownFields.parse(unknownFields);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--unknown-fields: " + e.getMessage());
        }
    }

    static Optional<IllegalStateException> failure(KafkaStreams.State state) {
        return UntilStopped.streamsFailure(state);
    }
}
