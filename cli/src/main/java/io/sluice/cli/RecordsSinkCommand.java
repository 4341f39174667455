package io.sluice.cli;

import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.backfill.RecordsSinkTopics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.postgres.PostgresUrls;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code sluice records-sink}: one member of the records sink group ({@link RecordsSink}), until Ctrl-C.
 * Progress and errors go to stderr.
 */
@Command(name = "records-sink",
        mixinStandardHelpOptions = true,
        description = {
                "Write backfill.records and backfill.status to PostgreSQL, exactly once.",
                "Fills repo_records (views bsky_posts, bsky_likes, bsky_reposts, bsky_follows, bsky_profiles) "
                        + "and backfill_dids, creating them on first start. Records that cannot be written go to "
                        + "backfill.dlq. Runs until Ctrl-C; start more instances with the same --group to share "
                        + "the work."})
final class RecordsSinkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions kafka;

    @Mixin
    MetricsOptions metricsOptions;

    @Mixin
    InstanceOptions instance;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "public",
            description = "Schema of the tables and of sluice_offsets (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--group", paramLabel = "ID", defaultValue = RecordsSink.DEFAULT_GROUP_ID,
            description = "Consumer group, also the key of this sink's offsets in PostgreSQL (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "5000",
            description = "Records per PostgreSQL transaction (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() throws Exception {
        SinkConfig plain = config();
        ClusterCheck.verify(plain.connection());
        TopicAdmin.ensure(plain.connection(), List.of(TopicNames.BACKFILL_RECORDS, TopicNames.BACKFILL_STATUS,
                TopicNames.BACKFILL_DLQ), TopicAdmin.DEFAULT_PARTITIONS, TopicAdmin.DEFAULT_TIMEOUT);
        try (ComponentMetrics metrics = metricsOptions.start("records-sink", spec.commandLine().getErr())) {
            ExactlyOnceSink<String, SpecificRecord> sink = RecordsSink.create(plain.withMeterRegistry(metrics.registry()),
                    RecordsSinkTopics.DEFAULT, new AvroSerdes(HttpSchemaRegistryClient.create(plain.connection().requireRegistry()), true));
            return UntilStopped.run("records-sink", sink::run, sink, () -> describe(sink.counters()),
                    spec.commandLine().getErr(), Duration.ofSeconds(10));
        }
    }

    SinkConfig config() {
        PostgresEndpoint pg = kafka.postgres();
        ConnectionSettings connection = kafka.kafkaAndRegistry();
        try {
            return RecordsSink.config(connection, pg.jdbcUrl(), group, RecordsSinkTopics.DEFAULT)
                    .credentials(pg.user(), pg.password()).schema(schema).batchSize(batchSize)
                    .consumerOverrides(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, instance.clientId("sluice-records-sink")))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static String describe(SinkCounters c) {
        // repo records and DID statuses apart: a status is not a record, and a run's statuses alone can be many
        return String.format(Locale.ROOT, "%,d records written, %,d statuses written, %,d batches, %,d to the DLQ, %,d retries",
                c.writtenFrom(RecordsSinkTopics.DEFAULT.records()), c.writtenFrom(RecordsSinkTopics.DEFAULT.status()),
                c.batches(), c.deadLettered(), c.retries());
    }
}
