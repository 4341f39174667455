package io.sluice.bench.etl;

import io.debezium.util.Clock;
import io.sluice.bench.HeapPeak;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.cdc.UserChangeFeed;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.stack.StackEndpoints;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

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

    /** Timings of a pass, in seconds from the first event sent. */
    record Timing(double seconds, double producedAt, double firstCommitAt, long sinkTransactions, double peakHeapMb) {
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
        String rowsTopic = "etl.user-rows." + runId;
        String dlqTopic = "etl.dlq." + runId;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
            CdcEventPublisher.ensureTopic(admin, feed.topic(), settings.partitions(), (short) 1, SETUP_TIMEOUT);
            CdcEventPublisher.ensureTopic(admin, rowsTopic, settings.partitions(), (short) 1, SETUP_TIMEOUT);
            CdcEventPublisher.ensureTopic(admin, dlqTopic, 1, (short) 1, SETUP_TIMEOUT);

            FlattenerConfig flattenerConfig = new FlattenerConfig("sluice-bench-flattener-" + runId, stack.bootstrapServers(),
                    stack.registryUrl(), Pattern.compile(Pattern.quote(feed.topic())), rowsTopic, dlqTopic);
            Topic<Long, UserRows> topic = Topics.create(registry, false).etlUserRows().withName(rowsTopic);
            String group = "sluice-bench-sink-" + runId;
            List<ExactlyOnceSink<Long, UserRows>> sinks = new ArrayList<>();
            List<CompletableFuture<Void>> loops = new ArrayList<>();
            try (FlattenerApp flattener = new FlattenerApp(flattenerConfig, flattenerOverrides());
                 CdcEventPublisher publisher = CdcEventPublisher.create(stack.bootstrapServers(), registry, producerOverrides())) {
                for (int i = 0; i < settings.sinkInstances(); i++) {
                    ExactlyOnceSink<Long, UserRows> sink = EtlSink.create(sinkConfig(group, rowsTopic, dlqTopic), topic);
                    sinks.add(sink);
                    loops.add(CompletableFuture.runAsync(sink::run, task -> Thread.ofPlatform().name("bench-etl-sink-" + sinks.size())
                            .daemon().start(task)));
                }
                flattener.start();
                awaitReady(admin, flattener, group, loops);
                return timed(events, publisher, sinks, loops);
            } finally {
                sinks.forEach(ExactlyOnceSink::close);
                admin.deleteTopics(List.of(feed.topic(), rowsTopic, dlqTopic));
            }
        }
    }

    private Timing timed(List<SourceRecord> events, CdcEventPublisher publisher, List<ExactlyOnceSink<Long, UserRows>> sinks,
                         List<CompletableFuture<Void>> loops) throws Exception {
        HeapPeak heap = HeapPeak.start();
        try {
            return measure(events, publisher, sinks, loops, heap);
        } finally {
            heap.stopMb();
        }
    }

    private Timing measure(List<SourceRecord> events, CdcEventPublisher publisher, List<ExactlyOnceSink<Long, UserRows>> sinks,
                           List<CompletableFuture<Void>> loops, HeapPeak heap) throws Exception {
        long start = System.nanoTime();
        // Sent from a thread of its own, so the clock below also sees the sinks while events still go out.
        CompletableFuture<Long> produced = CompletableFuture.supplyAsync(() -> {
            try {
                publisher.publish(events);
                return System.nanoTime();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        long firstCommit = 0;
        long deadline = start + RUN_TIMEOUT.toNanos();
        while (true) {
            long written = 0;
            long transactions = 0;
            for (ExactlyOnceSink<Long, UserRows> sink : sinks) {
                written += sink.counters().recordsWritten();
                transactions += sink.counters().batches();
            }
            long now = System.nanoTime();
            if (written > 0 && firstCommit == 0) firstCommit = now;
            if (written >= settings.users()) {
                return new Timing((now - start) / 1e9, (produced.join() - start) / 1e9, (firstCommit - start) / 1e9, transactions,
                        heap.stopMb());
            }
            for (CompletableFuture<Void> loop : loops) if (loop.isDone()) loop.join(); // a sink that died: its exception
            if (produced.isCompletedExceptionally()) produced.join();
            if (now > deadline) throw new TimeoutException("the sinks wrote " + written + " of " + settings.users() + " bundles in " + RUN_TIMEOUT);
            Thread.sleep(2);
        }
    }

    /** Until the flattener runs and the sink group has every partition. */
    private void awaitReady(Admin admin, FlattenerApp flattener, String group, List<CompletableFuture<Void>> loops) throws Exception {
        long deadline = System.nanoTime() + SETUP_TIMEOUT.toNanos();
        while (true) {
            for (CompletableFuture<Void> loop : loops) if (loop.isDone()) loop.join();
            if (flattener.state() == KafkaStreams.State.RUNNING && assignedPartitions(admin, group) == settings.partitions()) return;
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the flattener (" + flattener.state() + ") or the sinks did not start in " + SETUP_TIMEOUT);
            }
            Thread.sleep(50);
        }
    }

    private static int assignedPartitions(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) return 0; // no member has joined yet
            throw e;
        }
        if (d == null) return 0;
        int n = 0;
        for (MemberDescription m : d.members()) n += m.assignment().topicPartitions().size();
        return n;
    }

    private SinkConfig sinkConfig(String group, String rowsTopic, String dlqTopic) {
        return EtlSink.config(group, stack.bootstrapServers(), stack.postgres().jdbcUrl())
                .credentials(stack.postgres().user(), stack.postgres().password())
                .topics(rowsTopic)
                .schema(schema)
                .dlqTopicPattern(dlqTopic)
                .batchSize(settings.sinkBatch())
                .flushInterval(settings.sinkFlush())
                .consumerOverrides(Map.of(
                        "max.poll.records", Integer.toString(settings.sinkBatch()),
                        "max.partition.fetch.bytes", Integer.toString(16 * 1024 * 1024)))
                .build();
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
        return Map.of(ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 1024 * 1024);
    }
}
