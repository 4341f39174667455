package io.sluice.bench.etl;

import io.debezium.util.Clock;
import io.sluice.bench.HeapPeak;
import io.sluice.bench.JvmSettle;
import io.sluice.bench.StageCpu;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.pipeline.EtlPipeline;
import io.sluice.etl.pipeline.EtlPipelineConfig;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.stack.StackEndpoints;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/**
 * One measured pass of the whole Kafka path: Debezium change events for the users (built before the
 * clock starts, as MongoDB and Debezium would have built them) are encoded with the Connect converter
 * and produced to a new {@code cdc.<db>.users} topic, the flattener (exactly_once_v2) turns them into
 * bundles on a new etl.user-rows topic, and the ETL sink instances write them to a freshly migrated
 * schema. Everything is started and has its partitions before the clock starts; the clock runs from the
 * first event sent to the moment the sinks' committed counters reach one bundle per user (counters move
 * only after the PostgreSQL commit).
 */
final class KafkaPathRun {

    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
    private static final String PUBLISHER_THREAD = "bench-etl-publisher";
    private static final String PUBLISHER_CLIENT_ID = "sluice-bench-cdc-publisher";
    private static final String FLATTENER_ID_PREFIX = "sluice-bench-flattener-";
    private static final String SINK_GROUP_PREFIX = "sluice-bench-sink-";
    private static final String SINK_APPLICATION_NAME = "sluice-bench-etl-sink";

    /**
     * Timings of a pass, in seconds from the first event sent: the last event acknowledged, the last
     * event flattened (not yet committed), the sinks' first commit; and CPU seconds per stage.
     */
    record Timing(double seconds, double producedAt, double flattenedAt, double firstCommitAt, long sinkTransactions,
                  double peakHeapMb, Map<String, Double> cpuSeconds) {
    }

    private final StackEndpoints stack;
    private final SchemaRegistryClient registry;
    private final EtlBenchSettings settings;
    private final String schema;

    KafkaPathRun(StackEndpoints stack, SchemaRegistryClient registry, EtlBenchSettings settings, String schema) {
        this.stack = stack;
        this.registry = registry;
        this.settings = settings;
        this.schema = schema;
    }

    /** One pass with topics, groups and an application id of its own, named after {@code runId}. */
    Timing run(String runId) throws Exception {
        String database = "bench_" + runId;
        UserChangeFeed feed = new UserChangeFeed(new UserGenerator(settings.seed()), new MongoChangeEvents(database, Clock.system()));
        List<SourceRecord> events = feed.create(1, settings.users());
        EtlPipelineConfig config = EtlPipelineConfig.builder(stack.connection(), stack.postgres())
                .sourceTopic(feed.topic())
                .rowsTopic("etl.user-rows." + runId)
                .dlqTopic("etl.dlq." + runId)
                .applicationId(FLATTENER_ID_PREFIX + runId)
                .groupId(SINK_GROUP_PREFIX + runId)
                .partitions(settings.partitions())
                .sinkInstances(settings.sinkInstances())
                .dbSchema(schema)
                .sinkBatchSize(settings.sinkBatch())
                .sinkFlushInterval(settings.sinkFlush())
                .sinkApplicationName(SINK_APPLICATION_NAME)
                .flattenerOverrides(flattenerOverrides())
                .build();
        try (Admin admin = Admin.create(stack.connection().admin())) {
            try (EtlPipeline pipeline = EtlPipeline.start(config);
                 CdcEventPublisher publisher = CdcEventPublisher.create(stack.connection(), registry, producerOverrides())) {
                // Everything started and holding its partitions before the clock starts.
                pipeline.awaitRunning(SETUP_TIMEOUT);
                return timed(events, publisher, pipeline);
            } finally {
                admin.deleteTopics(List.of(feed.topic(), config.rowsTopic(), config.dlqTopic()));
            }
        }
    }

    private Timing timed(List<SourceRecord> events, CdcEventPublisher publisher, EtlPipeline pipeline) throws Exception {
        // The events (about 100 MB of Debezium records) stand in for MongoDB and Debezium: moved to the
        // old generation now, so that the first collections of the run do not copy them at its expense.
        JvmSettle.settle();
        HeapPeak heap = HeapPeak.start();
        try (StageCpu cpu = new StageCpu(KafkaPathRun::stageOf, stack.postgres(), List.of(SINK_APPLICATION_NAME))) {
            return measure(events, publisher, pipeline, heap, cpu);
        } finally {
            heap.stopMb();
        }
    }

    /** Which stage a thread of this JVM works for; the clients' threads carry their client ids. */
    private static String stageOf(String thread) {
        if (thread.startsWith(PUBLISHER_THREAD) || thread.contains(PUBLISHER_CLIENT_ID)) return "publish";
        if (thread.contains(FLATTENER_ID_PREFIX)) return "flattener";
        // EtlPipeline names each sink's thread after its stage and group.
        if (thread.contains(SINK_GROUP_PREFIX) || thread.contains(EtlSink.STAGE)) return "sink";
        // The clock, its counters and the samplers: the measuring, not the measured.
        if (thread.equals("main") || thread.startsWith("bench-")) return "bench";
        return "broker_and_other";
    }

    private Timing measure(List<SourceRecord> events, CdcEventPublisher publisher, EtlPipeline pipeline, HeapPeak heap,
                           StageCpu cpu) throws Exception {
        long start = System.nanoTime();
        // Sent from a thread of its own, so the clock below also sees the sinks while events still go out.
        CompletableFuture<Long> produced = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(PUBLISHER_THREAD).start(() -> {
            try {
                publisher.publish(events);
                produced.complete(System.nanoTime());
            } catch (InterruptedException | RuntimeException e) {
                produced.completeExceptionally(e);
            }
        });
        long firstCommit = 0;
        long flattened = 0;
        long nextFlattenerCheck = start;
        long deadline = start + RUN_TIMEOUT.toNanos();
        while (true) {
            SinkCounters sinks = pipeline.sinkCounters();
            long written = sinks.recordsWritten();
            long now = System.nanoTime();
            if (written > 0 && firstCommit == 0) firstCommit = now;
            // Streams' metrics map is built per call: looked at every 10 ms, not at every turn.
            if (flattened == 0 && now >= nextFlattenerCheck) {
                if (pipeline.recordsFlattened() >= settings.users()) flattened = now;
                nextFlattenerCheck = now + 10_000_000;
            }
            if (written >= settings.users()) {
                if (flattened == 0) flattened = now;
                return new Timing((now - start) / 1e9, (produced.join() - start) / 1e9, (flattened - start) / 1e9,
                        (firstCommit - start) / 1e9, sinks.batches(), heap.stopMb(), cpu.seconds());
            }
            pipeline.assertHealthy(); // a sink that died or a failed flattener: its exception
            if (produced.isCompletedExceptionally()) produced.join();
            if (now > deadline) throw new TimeoutException("the sinks wrote " + written + " of " + settings.users() + " bundles in " + RUN_TIMEOUT);
            Thread.sleep(2);
        }
    }

    private Map<String, Object> flattenerOverrides() {
        return Map.of(
                StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.flattenerThreads(),
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis(),
                // Bundles are several KB: batches of the default 16 KB would hold two or three.
                StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 1024 * 1024,
                StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5,
                // Transactions v2: the first send of a transaction meets CONCURRENT_TRANSACTIONS while the
                // broker still writes the previous one's markers, a matter of milliseconds here; the default
                // 100 ms backoff would stall every commit.
                StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), 5,
                StreamsConfig.consumerPrefix("max.partition.fetch.bytes"), 8 * 1024 * 1024);
    }

    private static Map<String, Object> producerOverrides() {
        return Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024,
                ProducerConfig.CLIENT_ID_CONFIG, PUBLISHER_CLIENT_ID);
    }
}
