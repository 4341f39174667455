package io.sluice.demo;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.pipeline.EtlPipeline;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.sinks.etl.EtlSink;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.streams.StreamsConfig;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The MongoDB CDC ETL without MongoDB: the users generator's documents as Debezium change events
 * (Debezium's own event code, encoded by sluice's Connect converter, as Kafka Connect would send
 * them) on {@code cdc.<db>.users}, then the flattener (exactly-once) and the ETL sink into the 15
 * tables of schema {@value #SCHEMA}. Checked: one users row per generated user, and every bundle
 * written once by the sink.
 */
final class EtlWorkload implements Workload {

    static final String SCHEMA = "etl";
    /** The sink's tables, as V2__etl_tables.sql creates them. */
    static final List<String> TABLES = List.of("users", "addresses", "profiles", "education", "experience", "preferences",
            "settings", "activity_log", "transactions", "messages", "attachments", "social_media", "posts", "groups",
            "large_data");
    /** Rows in all the tables together. */
    private static final String ALL_ROWS = "SELECT " + String.join(" + ", TABLES.stream()
            .map(t -> "(SELECT count(*) FROM " + t + ")").toList());
    private static final Map<String, Object> FLATTENER_OVERRIDES = Map.of(
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100,
            // Bundles are several KB: batches of the default 16 KB would hold two or three.
            StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 1024 * 1024,
            StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
    private static final int PARTITIONS = 3;
    private static final long SEED = 7;

    private final DemoContext run;

    EtlWorkload(DemoContext run) {
        this.run = run;
    }

    @Override
    public String name() {
        return "etl";
    }

    @Override
    public String unit() {
        return "users";
    }

    @Override
    public long total() {
        return run.settings().users();
    }

    @Override
    public long done() throws SQLException {
        return run.db().count(SCHEMA, "SELECT count(*) FROM users");
    }

    @Override
    public WorkloadResult run() throws Exception {
        long start = System.nanoTime();
        String database = run.names().isolated() ? run.names().prefix().replace('-', '_') : "demo";
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(SEED), new MongoChangeEvents(database, Clock.system()));
        EtlPipelineConfig config = EtlPipelineConfig.builder(run.stack().connection(), run.db().endpoint())
                .sourceTopic(feed.topic())
                .rowsTopic(run.names().topic(TopicNames.ETL_USER_ROWS))
                .dlqTopic(run.names().topic(TopicNames.ETL_DLQ))
                .applicationId(run.names().id(FlattenerConfig.DEFAULT_APPLICATION_ID))
                .groupId(run.names().id(EtlSink.GROUP_ID))
                .partitions(PARTITIONS)
                .dbSchema(SCHEMA)
                .sinkFlushInterval(Duration.ofMillis(200))
                .flattenerOverrides(FLATTENER_OVERRIDES)
                .build();
        SchemaRegistryClient registry = HttpSchemaRegistryClient.create(run.stack().connection().requireRegistry());
        long written;
        try (EtlPipeline pipeline = EtlPipeline.start(config);
             CdcEventPublisher publisher = CdcEventPublisher.create(run.stack().connection(), registry,
                     Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024))) {
            List<SourceRecord> events = feed.create(1, run.settings().users());
            publisher.publish(events);
            awaitWritten(pipeline, start);
            written = pipeline.bundlesWritten();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long dlq = DlqCount.of(run.stack().connection(), config.dlqTopic());
        long rows = run.db().count(SCHEMA, ALL_ROWS);
        return new WorkloadResult(name(), run.settings().users(), rows, seconds, dlq, -1, List.of(
                WorkloadResult.Check.of("users rows (users generated)", run.settings().users(), done()),
                WorkloadResult.Check.of("bundles the sink committed", run.settings().users(), written)));
    }

    /** Until the sink has committed one bundle per user (its counter moves after PostgreSQL's commit). */
    private void awaitWritten(EtlPipeline pipeline, long start) throws Exception {
        long deadline = start + run.settings().timeout().toNanos();
        while (pipeline.bundlesWritten() < run.settings().users()) {
            pipeline.assertHealthy();
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("etl: after " + run.settings().timeout().toSeconds() + " s the sink wrote "
                        + pipeline.bundlesWritten() + " of " + run.settings().users() + " users");
            }
            Thread.sleep(50);
        }
    }
}
