package io.sluice.sinks.backfill;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The backfill's records sink: one {@link ExactlyOnceSink} on both {@code backfill.records} and
 * {@code backfill.status}, whose writer ({@link BackfillWriter}) fills {@code repo_records} (and its
 * {@code bsky_*} views) and {@code backfill_dids} (migration V3).
 *
 * <p>Guarantees: the sink core's (rows and offsets in one PostgreSQL transaction, so each record is
 * applied once; bad records to {@code backfill.dlq} with {@code sluice.dlq.*} headers), and on top,
 * idempotent upserts: replaying either topic from the beginning, or rerunning the same DIDs, leaves the
 * same rows (see the migration for the rules). Scale out by starting more instances with the same group.
 */
public final class RecordsSink {

    public static final String STAGE = "records-sink";
    public static final String DEFAULT_GROUP_ID = "sluice-records-sink";

    private RecordsSink() {
    }

    /**
     * The defaults for this sink: both topics, one {@code backfill.dlq}, batches of 5,000 records or
     * 500 ms. Override what you need, then build.
     *
     * @param groupId the consumer group, normally {@value #DEFAULT_GROUP_ID}; instances sharing it share the work
     */
    public static SinkConfig.Builder config(ConnectionSettings connection, String jdbcUrl, String groupId,
                                            RecordsSinkTopics topics) {
        return SinkConfig.builder(STAGE, groupId, connection, jdbcUrl)
                .topics(topics.records(), topics.status())
                .dlqTopicPattern(TopicNames.BACKFILL_DLQ)
                .batchSize(5_000)
                .flushInterval(Duration.ofMillis(500))
                // The core polls min(batch, 500) records by default: ten polls per batch. Records are small
                // (~300 bytes) and come in bulk, so fetch a whole batch per poll.
                .consumerOverrides(Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000",
                        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024)));
    }

    /**
     * A sink reading {@code topics} with {@code serdes}' registry; call {@code run()} on a thread of your
     * own and {@code close()} to stop it.
     *
     * @throws IllegalArgumentException if {@code config} consumes other topics than {@code topics}
     */
    public static ExactlyOnceSink<String, SpecificRecord> create(SinkConfig config, RecordsSinkTopics topics,
                                                                 AvroSerdes serdes) {
        Set<String> expected = Set.of(topics.records(), topics.status());
        if (!expected.equals(new HashSet<>(config.topics()))) {
            throw new IllegalArgumentException("the records sink consumes " + expected + ", but the config lists "
                    + config.topics());
        }
        TopicDispatchingDeserializer values = new TopicDispatchingDeserializer(Map.of(
                topics.records(), serdes.specificValue(RepoRecord.class).deserializer(),
                topics.status(), serdes.specificValue(DidStatus.class).deserializer()));
        return new ExactlyOnceSink<>(config, serdes.stringKey().deserializer(), values, new BackfillWriter());
    }
}
