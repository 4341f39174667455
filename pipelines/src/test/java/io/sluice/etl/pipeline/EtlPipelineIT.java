package io.sluice.etl.pipeline;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.generate.UserUpdates;
import io.sluice.etl.pipeline.testing.EtlTables;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link EtlPipeline} end to end on the real broker, registry and PostgreSQL: Debezium-built change events
 * (creates, then updates, then deletes with their tombstones) through the flattener and two sink instances
 * of one group; the 15 tables must hold exactly what the documents say, every bundle written once.
 */
@WithSluiceStack
class EtlPipelineIT {

    private static final long SEED = 11;
    private static final int USERS = 400;
    private static final int UPDATES = 40;
    private static final int DELETE_EVERY = 20;
    private static final Duration WAIT = Duration.ofSeconds(180);

    @Test
    void createsUpdatesAndDeletesThroughTwoSinksLeaveExactlyTheDocumentsRows(TestStack stack) throws Exception {
        String database = stack.unique("etlpipe").replace('-', '_');
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(SEED), new MongoChangeEvents(database, Clock.system()));
        EtlPipelineConfig config = EtlPipelineConfig.builder(stack.connection(), stack.postgres())
                .sourceTopic(feed.topic())
                .rowsTopic(stack.unique("etl.user-rows"))
                .dlqTopic(stack.unique("etl.dlq"))
                .applicationId(stack.unique("flattener"))
                .groupId(stack.unique("sink"))
                .partitions(3)
                .sinkInstances(2)
                .dbSchema("etl_pipeline")
                .sinkBatchSize(50)
                .sinkFlushInterval(Duration.ofMillis(100))
                .stateDir(Path.of("target", stack.unique("etl-state")))
                .build();

        Map<Long, BsonDocument> live = EtlTables.created(SEED, USERS);
        List<SourceRecord> changes = new ArrayList<>(feed.create(1, USERS));
        UserGenerator generator = new UserGenerator(SEED);
        for (long id = 1; id <= UPDATES; id++) {
            changes.add(feed.update(id));
            live.put(id, new UserUpdates(generator).update(generator.user(id), 1));
        }
        int deletes = 0;
        for (long id = DELETE_EVERY; id <= USERS; id += DELETE_EVERY) {
            changes.addAll(feed.delete(id));
            live.remove(id);
            deletes++;
        }
        long bundles = USERS + UPDATES + deletes; // a tombstone gives none

        try (EtlPipeline pipeline = EtlPipeline.start(config);
             CdcEventPublisher publisher = CdcEventPublisher.create(stack.connection(),
                     HttpSchemaRegistryClient.create(stack.registryUrl()), Map.of())) {
            pipeline.awaitRunning(WAIT);
            publisher.publish(changes);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).failFast(pipeline::assertHealthy)
                    .until(() -> pipeline.bundlesWritten() >= bundles);

            EtlPipeline.EtlCounters counters = pipeline.counters();
            assertThat(counters.bundlesWritten()).as("each bundle written once across both sinks").isEqualTo(bundles);
            assertThat(counters.sinkTransactions()).as("both sinks' transactions").isPositive();
            assertThat(counters.flattened()).as("events the flattener processed, tombstones included")
                    .isGreaterThanOrEqualTo(bundles);
            assertThat(counters.sinkDeadLettered()).isZero();
        }
        try (Connection c = stack.connect()) {
            EtlTables.assertHold(c, "etl_pipeline", live);
        }
    }
}
