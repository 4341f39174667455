package io.sluice.etl.pipeline;

import io.sluice.common.lifecycle.Closer;
import io.sluice.common.lifecycle.LoopThread;
import io.sluice.common.state.StateDirectory;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.sinks.etl.EtlSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The ETL stages in one process, configured by one {@link EtlPipelineConfig}: the flattener (Kafka
 * Streams, exactly_once_v2) reading the CDC topics and writing {@code etl.user-rows}, and N ETL sink
 * instances of one consumer group writing the 15 tables. {@link #start} creates the topics first (before
 * anything produces: an idempotent producer sending right after creation can lose its first batch,
 * KAFKA-15591), then starts the flattener and the sinks in the order of the flow; {@link #close()} stops
 * them in reverse order. The sinks' guarantees are {@link ExactlyOnceSink}'s.
 *
 * <p>The stage configs ({@link #streamsOverrides}, {@link #sinkConfig}) are public so a stage run on its own
 * ({@code sluice flattener}, {@code sluice etl-sink}) is configured the same way.
 */
public final class EtlPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EtlPipeline.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    /** A bundle is several KB (large_data alone is a few): one poll may bring a whole batch. */
    private static final int SINK_FETCH_BYTES = 16 * 1024 * 1024;

    private final EtlPipelineConfig config;
    private final Closer closer = new Closer("stopping the ETL pipeline");
    private final List<ExactlyOnceSink<Long, UserRows>> sinks = new ArrayList<>();
    private final List<CompletableFuture<Void>> loops = new ArrayList<>();
    private FlattenerApp flattener;

    private EtlPipeline(EtlPipelineConfig config) {
        this.config = config;
    }

    /**
     * Creates the topics, starts the flattener and the sink instances and returns at once (see
     * {@link #awaitRunning}). On a failure whatever was started is closed again.
     */
    public static EtlPipeline start(EtlPipelineConfig config) {
        EtlPipeline pipeline = new EtlPipeline(config);
        try {
            pipeline.startAll();
            return pipeline;
        } catch (RuntimeException e) {
            pipeline.closer.closeAfter(e);
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            IllegalStateException failure = new IllegalStateException("interrupted while starting the ETL pipeline", e);
            pipeline.closer.closeAfter(failure);
            throw failure;
        } catch (TimeoutException e) {
            IllegalStateException failure = new IllegalStateException("the ETL topics are not ready: " + e.getMessage(), e);
            pipeline.closer.closeAfter(failure);
            throw failure;
        }
    }

    /** Creates the source topic (when the config names one) and the rows topic with its partitions, the DLQ with one. */
    public static void ensureTopics(EtlPipelineConfig config) throws InterruptedException, TimeoutException {
        try (Admin admin = Admin.create(config.connection().admin())) {
            if (config.sourceTopic().isPresent()) {
                CdcEventPublisher.ensureTopic(admin, config.sourceTopic().get(), config.partitions(), (short) 1, TOPIC_TIMEOUT);
            }
            CdcEventPublisher.ensureTopic(admin, config.rowsTopic(), config.partitions(), (short) 1, TOPIC_TIMEOUT);
            CdcEventPublisher.ensureTopic(admin, config.dlqTopic(), 1, (short) 1, TOPIC_TIMEOUT);
        }
    }

    /** The flattener's Streams settings on top of its config's: the config's overrides and the state directory. */
    public static Map<String, Object> streamsOverrides(EtlPipelineConfig config, StateDirectory state) {
        Map<String, Object> overrides = new HashMap<>(config.flattenerOverrides());
        overrides.put(StreamsConfig.STATE_DIR_CONFIG, state.path().toString());
        return Map.copyOf(overrides);
    }

    /** Claims the flattener's state directory: the configured one, or one of this instance's own. */
    public static StateDirectory claimStateDirectory(EtlPipelineConfig config) {
        return config.stateDir().isPresent()
                ? StateDirectory.claim(config.stateDir().get(), "state directory")
                : StateDirectory.claimDefault(StateDirectory.defaultBase(), config.applicationId());
    }

    /** A sink instance's settings, as a builder (to add a meter registry, a backoff, ...). */
    public static SinkConfig.Builder sinkConfig(EtlPipelineConfig config) {
        return sinkConfig(config, Map.of());
    }

    /**
     * As {@link #sinkConfig(EtlPipelineConfig)}, the instance's consumer named {@code clientId} and its
     * dead-letter producer {@code clientId-dlq}, so the broker's view of the group, its logs and the
     * client metrics tell the instances apart.
     */
    public static SinkConfig.Builder sinkConfig(EtlPipelineConfig config, String clientId) {
        return sinkConfig(config, Map.of("client.id", clientId))
                .producerOverrides(Map.of("client.id", clientId + "-dlq"));
    }

    private static SinkConfig.Builder sinkConfig(EtlPipelineConfig config, Map<String, String> consumerOverrides) {
        Map<String, String> consumer = new HashMap<>(consumerOverrides);
        consumer.put("max.poll.records", Integer.toString(config.sinkBatchSize()));
        consumer.put("max.partition.fetch.bytes", Integer.toString(SINK_FETCH_BYTES));
        if (config.postgres() == null) throw new IllegalArgumentException("the ETL sink needs a PostgreSQL endpoint");
        return EtlSink.config(config.groupId(), config.connection(), config.postgres().jdbcUrl())
                .credentials(config.postgres().user(), config.postgres().password())
                .topics(config.rowsTopic())
                .schema(config.dbSchema())
                .dlqTopicPattern(config.dlqTopic())
                .applicationName(config.sinkApplicationName())
                .batchSize(config.sinkBatchSize())
                .flushInterval(config.sinkFlushInterval())
                .consumerOverrides(consumer);
    }

    /** The row bundles' serdes for a sink over {@code config}. */
    public static Topic<Long, UserRows> rowsTopic(EtlPipelineConfig config) {
        return Topics.create(HttpSchemaRegistryClient.create(config.connection().requireRegistry()), false).etlUserRows()
                .withName(config.rowsTopic());
    }

    private void startAll() throws InterruptedException, TimeoutException {
        ensureTopics(config);
        StateDirectory state = closer.push(claimStateDirectory(config));
        flattener = closer.push(new FlattenerApp(config.flattener(), streamsOverrides(config, state)));
        flattener.start();
        if (config.sinkInstances() > 0) {
            SinkConfig sinkConfig = sinkConfig(config).build();
            Topic<Long, UserRows> rows = rowsTopic(config);
            for (int i = 1; i <= config.sinkInstances(); i++) {
                ExactlyOnceSink<Long, UserRows> sink = closer.push(EtlSink.create(sinkConfig, rows));
                sinks.add(sink);
                // The thread carries the group id: per-stage accounting (the benchmark's CPU) finds it by name.
                String name = EtlSink.STAGE + "-" + i + "-" + config.groupId();
                loops.add(LoopThread.start(name, sink::run)); // an Error reaches the uncaught-exception handler
            }
        }
        log.info("ETL pipeline started: {}", config);
    }

    /**
     * Waits until the flattener runs and the sink group holds every partition of the rows topic (or, with no
     * sinks here, until the flattener runs).
     *
     * @throws TimeoutException      with the stages' state, when that takes longer than {@code timeout}
     * @throws IllegalStateException when a stage failed meanwhile
     */
    public void awaitRunning(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(config.connection().admin())) {
            while (true) {
                assertHealthy();
                int assigned = sinks.isEmpty() ? config.partitions() : assignedPartitions(admin);
                if (flattener.state() == KafkaStreams.State.RUNNING && assigned == config.partitions()) return;
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("the ETL pipeline is not running after " + timeout + ": flattener "
                            + flattener.state() + ", sinks hold " + assigned + " of " + config.partitions() + " partitions");
                }
                Thread.sleep(50);
            }
        }
    }

    private int assignedPartitions(Admin admin) throws InterruptedException {
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(List.of(config.groupId())).all().get().get(config.groupId());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) return 0; // no member has joined yet
            throw new IllegalStateException("cannot describe the sink group " + config.groupId() + ": " + e.getCause(), e.getCause());
        }
        if (d == null) return 0;
        int n = 0;
        for (MemberDescription m : d.members()) n += m.assignment().topicPartitions().size();
        return n;
    }

    /** Throws, with the stage's own exception as the cause, if a sink loop has ended or the flattener failed. */
    public void assertHealthy() {
        for (CompletableFuture<Void> loop : loops) {
            if (!loop.isDone()) continue;
            try {
                loop.join();
            } catch (CompletionException e) {
                throw new IllegalStateException("an ETL sink failed: " + e.getCause().getMessage(), e.getCause());
            }
            throw new IllegalStateException("an ETL sink stopped without being closed");
        }
        KafkaStreams.State state = flattener.state();
        if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR) {
            throw new IllegalStateException("the flattener is " + state);
        }
    }

    /** The sink instances' counters added up, in one pass (cheap: for tight progress loops, the benchmark's clock). */
    public SinkCounters sinkCounters() {
        long written = 0, batches = 0, deadLettered = 0, retries = 0, fenced = 0;
        for (ExactlyOnceSink<Long, UserRows> sink : sinks) {
            SinkCounters c = sink.counters();
            written += c.recordsWritten();
            batches += c.batches();
            deadLettered += c.deadLettered();
            retries += c.retries();
            fenced += c.fenced();
        }
        return new SinkCounters(written, batches, deadLettered, retries, fenced);
    }

    /** Bundles the sinks have committed to PostgreSQL (their counters move after the commit). */
    public long bundlesWritten() {
        return sinkCounters().recordsWritten();
    }

    /** Change events the flattener has processed; reads Streams' metrics map, so not for tight loops. */
    public long recordsFlattened() {
        return flattener.recordsProcessed();
    }

    /** A snapshot of every counter. */
    public EtlCounters counters() {
        SinkCounters sinks = sinkCounters();
        return new EtlCounters(recordsFlattened(), sinks.recordsWritten(), sinks.batches(), sinks.deadLettered(), sinks.retries());
    }

    /** The flattener, for its Streams metrics and state. */
    public FlattenerApp flattener() {
        return flattener;
    }

    public EtlPipelineConfig config() {
        return config;
    }

    /** Stops the sinks (the batch being written is read again by the next instance), then the flattener. */
    @Override
    public void close() {
        closer.close();
        log.info("ETL pipeline stopped: {} bundles written", bundlesWritten());
    }

    /**
     * The pipeline's counters.
     *
     * @param flattened       change events the flattener processed
     * @param bundlesWritten  row bundles committed to PostgreSQL
     * @param sinkTransactions the sinks' committed transactions
     * @param sinkDeadLettered bundles the sinks sent to the DLQ (the flattener's dead letters are on the topic)
     * @param sinkRetries     the sinks' retried batches
     */
    public record EtlCounters(long flattened, long bundlesWritten, long sinkTransactions, long sinkDeadLettered,
                              long sinkRetries) {
    }
}
