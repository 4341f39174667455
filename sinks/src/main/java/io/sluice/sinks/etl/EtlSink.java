package io.sluice.sinks.etl;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;

import java.time.Duration;
import java.util.Map;

/**
 * The ETL sink: the exactly-once sink core reading etl.user-rows and writing the 15 tables with
 * {@link UserRowsWriter}.
 *
 * <p>Consumes {@code etl.user-rows} (key the user id, value {@link UserRows}, Confluent-wire-format
 * Avro); produces the users' rows in the tables of the configured schema (Flyway creates them on start),
 * and records it cannot write, with the reason, in {@code etl.dlq}. Guarantees those of
 * {@link ExactlyOnceSink}: each batch's rows and offsets commit in one transaction, so a restart neither
 * loses nor repeats a change, and replaying the topic gives identical tables. And newest wins: each
 * user's tables hold the change with the highest source position seen, whatever order changes arrive in
 * ({@link UserRowsWriter}).
 */
public final class EtlSink {

    public static final String STAGE = "etl-sink";
    public static final String GROUP_ID = "sluice-etl-sink";
    /** Bundles per transaction: about 70,000 rows, so per-batch costs (15 DELETEs, 15 COPYs, a commit) vanish. */
    public static final int BATCH_SIZE = 2_000;
    /** Meter: changes skipped as not newer than the user's applied position. */
    public static final String SKIPPED = "sluice.sink.records.skipped.stale";

    private EtlSink() {
    }

    /** {@link #config(String, String, String)} with the default group {@value #GROUP_ID}. */
    public static SinkConfig.Builder config(ConnectionSettings connection, String jdbcUrl) {
        return config(GROUP_ID, connection, jdbcUrl);
    }

    /**
     * The ETL sink's settings, to complete (credentials, schema) and build: stage {@value #STAGE}, topic
     * {@code etl.user-rows}, dead letters to {@code etl.dlq}, batches of {@value #BATCH_SIZE} bundles.
     * Calling {@code consumerOverrides} on the builder replaces the fetch sizes set here.
     */
    public static SinkConfig.Builder config(String groupId, ConnectionSettings connection, String jdbcUrl) {
        return SinkConfig.builder(STAGE, groupId, connection, jdbcUrl)
                .topics(TopicNames.ETL_USER_ROWS)
                .dlqTopicPattern(TopicNames.ETL_DLQ)
                .batchSize(BATCH_SIZE)
                .flushInterval(Duration.ofMillis(500))
                // A bundle is several KB (large_data alone is a few): let one poll bring a whole batch
                // instead of the default 500 records and 1 MB per partition.
                .consumerOverrides(Map.of(
                        "max.poll.records", Integer.toString(BATCH_SIZE),
                        "max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024)));
    }

    /**
     * A sink over {@code config} reading with {@code topic}'s deserializers (use
     * {@code Topics.etlUserRows()}; the topic's name is not used, {@code config.topics()} is). Run it
     * with {@link ExactlyOnceSink#run()} on a thread of its own.
     */
    public static ExactlyOnceSink<Long, UserRows> create(SinkConfig config, Topic<Long, UserRows> topic) {
        return create(config, topic, UserRowsWriter.DEFAULT_DELETE_RETENTION);
    }

    /**
     * {@link #create(SinkConfig, Topic)} keeping deleted users' positions for {@code deleteRetention}
     * instead of {@link UserRowsWriter#DEFAULT_DELETE_RETENTION}.
     */
    public static ExactlyOnceSink<Long, UserRows> create(SinkConfig config, Topic<Long, UserRows> topic,
                                                         Duration deleteRetention) {
        UserRowsWriter writer = new UserRowsWriter(config.schema(), deleteRetention);
        registerSkipped(config.meterRegistry(), config.stage(), config.groupId(), writer);
        return new ExactlyOnceSink<>(config, topic.keySerde().deserializer(), topic.valueSerde().deserializer(), writer);
    }

    /**
     * The meter {@value #SKIPPED} of {@link UserRowsWriter#skippedChanges()}, tagged as the sink core's
     * meters. A function counter holds the writer weakly, so a closed sink's writer is not kept alive.
     */
    static void registerSkipped(MeterRegistry registry, String stage, String group, UserRowsWriter writer) {
        FunctionCounter.builder(SKIPPED, writer, UserRowsWriter::skippedChanges)
                .tags(Tags.of("stage", stage, "group", group))
                .description("changes not applied because a change at or after their source position was (redeliveries, "
                        + "replays, reordered older changes), counted per write attempt")
                .register(registry);
    }
}
