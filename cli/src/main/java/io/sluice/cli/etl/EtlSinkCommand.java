package io.sluice.cli.etl;

import io.sluice.cli.ConnectionOptions;
import io.sluice.cli.InstanceOptions;
import io.sluice.cli.StopSignals;
import io.sluice.common.client.ClusterCheck;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.cli.MetricsOptions;
import io.sluice.cli.ops.DurationConverter;
import io.sluice.etl.pipeline.EtlPipeline;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.stack.PostgresEndpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code sluice etl-sink}: runs the ETL sink ({@link EtlSink}) until Ctrl-C. Consumes
 * {@code etl.user-rows}; produces the 15 tables in the configured PostgreSQL schema (migrated on start)
 * and dead letters in {@code etl.dlq}. Guarantees those of the exactly-once sink: rows and offsets
 * commit together, so a stop at any moment, a crash included, neither loses nor repeats a change.
 * Exits 0 on Ctrl-C or SIGTERM, 1 when the sink fails with an error that retrying cannot fix.
 */
@Command(name = "etl-sink",
        description = {
                "Run the ETL sink (etl.user-rows -> the 15 PostgreSQL tables) until Ctrl-C.",
                "Each batch replaces its users' rows with binary COPY in one transaction that also stores "
                        + "the consumed offsets, so a restart resumes exactly where the last commit ended. "
                        + "Bundles PostgreSQL refuses (a constraint violation) go to etl.dlq. Start more "
                        + "instances with the same --group to share the partitions."},
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  SLUICE_KAFKA_BOOTSTRAP, SLUICE_REGISTRY_URL, SLUICE_PG_URL  defaults of the service options",
                "  SLUICE_ETL_SCHEMA      default of --schema",
                "  SLUICE_ETL_SINK_GROUP  default of --group"})
public final class EtlSinkCommand implements Callable<Integer> {

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

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "${env:SLUICE_ETL_SCHEMA:-public}",
            description = "PostgreSQL schema of the tables and of sluice_offsets (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--group", paramLabel = "ID", defaultValue = "${env:SLUICE_ETL_SINK_GROUP:-" + EtlSink.GROUP_ID + "}",
            description = "Consumer group; also the key of the stored offsets (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--topic", paramLabel = "NAME", defaultValue = TopicNames.ETL_USER_ROWS,
            description = "Topic of row bundles to read (default: ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "" + EtlSink.BATCH_SIZE,
            description = "Bundles per transaction (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--delete-retention", paramLabel = "DURATION", defaultValue = "${env:SLUICE_ETL_DELETE_RETENTION:-168h}",
            converter = DurationConverter.class,
            description = "How long a deleted user's source position is kept, so that an older change of the user "
                    + "arriving late (a redelivery, a replay) cannot bring it back; e.g. 168h (7 days), PT720H "
                    + "(variable SLUICE_ETL_DELETE_RETENTION; default: ${DEFAULT-VALUE}).")
    Duration deleteRetention;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        SinkConfig plain = config();
        ClusterCheck.verify(plain.connection());
        ComponentMetrics metrics = metricsOptions.start("etl-sink", err);
        SinkConfig config = plain.withMeterRegistry(metrics.registry());
        Topic<Long, UserRows> rows = Topics.fromConfig(new AvroSerdeConfig(services.kafkaAndRegistry().requireRegistry(), false, true)).etlUserRows();
        StopSignals stop = StopSignals.install(err);
        ExactlyOnceSink<Long, UserRows> sink = EtlSink.create(config, rows, deleteRetention);
        CompletableFuture<Void> loop = CompletableFuture.runAsync(sink::run, task -> Thread.ofPlatform().name("etl-sink").start(task));
        err.printf("etl sink running: %s -> %s schema %s, group %s. Press Ctrl-C to stop.%n",
                config.topics(), config.jdbcUrl(), config.schema(), config.groupId());
        err.flush();
        try (metrics) {
            UntilStopped.await(stop, sink, () -> failure(loop), err);
        }
        SinkCounters c = sink.counters();
        err.printf("etl sink stopped: %,d bundles written in %,d transactions, %,d dead-lettered, %,d retries%n",
                c.recordsWritten(), c.batches(), c.deadLettered(), c.retries());
        return 0;
    }

    /** The ETL pipeline's sink settings with this instance's options. */
    SinkConfig config() {
        PostgresEndpoint pg = services.postgres();
        try {
            EtlPipelineConfig pipeline = EtlPipelineConfig.builder(services.kafkaAndRegistry(), pg)
                    .rowsTopic(topic)
                    .groupId(group)
                    .dbSchema(schema)
                    .sinkBatchSize(batchSize)
                    .build();
            return EtlPipeline.sinkConfig(pipeline, instance.clientId("sluice-etl-sink")).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The loop ends only on close; ending before means it failed (or returned, which is a bug). */
    static Optional<IllegalStateException> failure(CompletableFuture<Void> loop) {
        if (!loop.isDone()) return Optional.empty();
        try {
            loop.join();
            return Optional.of(new IllegalStateException("the sink loop ended without being stopped"));
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return Optional.of(new IllegalStateException("the sink failed: " + cause.getMessage(), cause));
        }
    }
}
