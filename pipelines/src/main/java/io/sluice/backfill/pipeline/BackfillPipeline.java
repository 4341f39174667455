package io.sluice.backfill.pipeline;

import io.sluice.common.client.ConnectionSettings;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.sluice.backfill.fetch.FetcherApp;
import io.sluice.backfill.fetch.FetcherConfig;
import io.sluice.backfill.fetch.FetcherStats;
import io.sluice.backfill.ratelimit.RateLimiterApp;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.RateLimiterTopics;
import io.sluice.backfill.net.AddressGuard;
import io.sluice.backfill.resolve.Resolver;
import io.sluice.backfill.resolve.ResolverConfig;
import io.sluice.backfill.resolve.ResolverCounters;
import io.sluice.common.lifecycle.LoopThread;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.FetcherMetrics;
import io.sluice.ops.metrics.RateLimitHostMetrics;
import io.sluice.ops.metrics.ResolverMetrics;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.backfill.RecordsSinkTopics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.stack.PostgresEndpoint;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The backfill stages after {@code publish-dids}, in one process: resolver → rate limiter → fetcher →
 * records sink, against the given Kafka, registry and PostgreSQL, configured by one
 * {@link BackfillPipelineConfig}. {@link #start} ensures every backfill topic first (one partition
 * count for all, so the rate limiter's inputs are co-partitioned), then starts the stages in the order
 * of the flow; {@link #close()} stops them in reverse order.
 *
 * <p>The fetcher and the sink can each be stopped and started again on their own
 * ({@link #stopFetcher()}, {@link #startFetcher()}, {@link #stopSink()}, {@link #startSink()}): a new
 * instance joins the same group and goes on from the committed offsets (Kafka's for the fetcher, the
 * ones stored with the rows for the sink). Not thread-safe: drive it from one thread.
 *
 * <p>Given a {@link ComponentMetrics}, every stage records into it: the resolver's and the fetcher's
 * counters, the rate limiter's Kafka Streams metrics and per-host state, the sink's meters.
 */
public final class BackfillPipeline implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BackfillPipeline.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LIMITER_START = Duration.ofMinutes(2);
    private static final Duration LIMITER_CLOSE = Duration.ofSeconds(30);

    private final BackfillPipelineConfig config;
    private final ResolverConfig resolverConfig;
    private final RateLimiterConfig limiterConfig;
    private final FetcherConfig fetcherConfig;
    private final SinkConfig sinkConfig;
    private final RecordsSinkTopics sinkTopics;
    private final AvroSerdes serdes;
    private final ComponentMetrics metrics;
    private volatile FetcherStats fetcherStats = new FetcherStats();

    private Resolver resolver;
    private CompletableFuture<Void> resolverRun;
    private RateLimiterApp limiter;
    private FetcherApp fetcher;
    private ExactlyOnceSink<String, SpecificRecord> sink;
    private CompletableFuture<Void> sinkRun;
    private int sinkStarts;

    private BackfillPipeline(ConnectionSettings connection, PostgresEndpoint postgres, BackfillPipelineConfig config,
                             ComponentMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.resolverConfig = resolverConfig(connection, config).build();
        this.limiterConfig = rateLimiterConfig(connection, config).build();
        this.fetcherConfig = fetcherConfig(connection, config)
                .storedDatabase(Optional.of(new FetcherConfig.StoredDatabase(postgres.jdbcUrl(), postgres.user(),
                        postgres.password(), config.dbSchema())))
                .build();
        this.sinkTopics = sinkTopics(config);
        this.sinkConfig = sinkConfig(connection, postgres, config)
                .meterRegistry(metrics == null ? new CompositeMeterRegistry() : metrics.registry())
                .build();
        this.serdes = new AvroSerdes(HttpSchemaRegistryClient.create(connection.requireRegistry()), true);
    }

    /**
     * Ensures the topics, then starts the resolver, the rate limiter (waiting until it runs), the fetcher
     * and the sink. On a failure whatever was started is closed again.
     */
    public static BackfillPipeline start(ConnectionSettings connection, PostgresEndpoint postgres,
                                         BackfillPipelineConfig config) {
        return start(connection, postgres, config, null);
    }

    /** As {@link #start(String, String, PostgresEndpoint, BackfillPipelineConfig)}, recording into {@code metrics} (null: none). */
    public static BackfillPipeline start(ConnectionSettings connection, PostgresEndpoint postgres,
                                         BackfillPipelineConfig config, ComponentMetrics metrics) {
        BackfillPipeline pipeline = new BackfillPipeline(connection, postgres, config, metrics);
        try {
            pipeline.startAll();
            return pipeline;
        } catch (RuntimeException | Error e) {
            pipeline.close();
            throw e;
        }
    }

    /** Creates the pipeline's topics, the rate limiter's changelogs included, unless they exist. */
    public static void ensureTopics(ConnectionSettings connection, BackfillPipelineConfig config) {
        TopicAdmin.ensure(connection, config.allTopics(), config.partitions(), TOPIC_TIMEOUT);
        RateLimiterTopics.ensure(rateLimiterConfig(connection, config).build(), config.partitions(), TOPIC_TIMEOUT);
    }

    /**
     * The resolver settings of the pipeline {@code config} describes, as a builder, so a resolver run
     * elsewhere (another process) joins the same group on the same topics.
     */
    public static ResolverConfig.Builder resolverConfig(ConnectionSettings connection, BackfillPipelineConfig config) {
        return ResolverConfig.builder(connection)
                .groupId(config.id(ResolverConfig.DEFAULT_GROUP_ID))
                .topics(config.dids(), config.resolved(), config.status(), config.dlq())
                .plcDirectory(config.plcUrl())
                .allowedNetworks(config.allowLoopback() ? AddressGuard.LOOPBACK : List.of())
                .partitions(config.partitions());
    }

    /**
     * The rate limiter settings of the pipeline {@code config} describes (its state under
     * {@code <stateDir>/ratelimiter}), as a builder; see {@link #resolverConfig}.
     */
    public static RateLimiterConfig.Builder rateLimiterConfig(ConnectionSettings connection, BackfillPipelineConfig config) {
        return RateLimiterConfig.builder(connection)
                .applicationId(config.id(RateLimiterConfig.DEFAULT_APPLICATION_ID))
                .topics(new RateLimiterConfig.TopicSet(config.resolved(), Optional.of(config.retry()), config.signals(),
                        config.fetch(), config.dlq()))
                .defaultPolicy(config.defaultHostPolicy())
                .timing(config.limiterTiming())
                .fetchGroup(Optional.of(config.id(FetcherConfig.DEFAULT_GROUP_ID)))
                .streamsOverride(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().resolve("ratelimiter").toString());
    }

    /**
     * The fetcher settings of the pipeline {@code config} describes, as a builder, so a fetcher run
     * elsewhere (another process) joins the same group on the same topics.
     */
    public static FetcherConfig.Builder fetcherConfig(ConnectionSettings connection, BackfillPipelineConfig config) {
        return FetcherConfig.builder(connection)
                .groupId(config.id(FetcherConfig.DEFAULT_GROUP_ID))
                .topics(new FetcherConfig.TopicSet(config.fetch(), config.records(), config.status(), config.retry(),
                        config.signals(), config.dlq()))
                .allowedPrivateHosts(config.allowLoopback() ? Set.of("127.0.0.1", "localhost", "::1") : Set.of())
                .spillDir(config.stateDir().resolve("spill"))
                .commitInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(10))
                .refetch(config.refetch());
    }

    /** The records sink settings of the pipeline {@code config} describes, as a builder; see {@link #fetcherConfig}. */
    public static SinkConfig.Builder sinkConfig(ConnectionSettings connection, PostgresEndpoint postgres, BackfillPipelineConfig config) {
        return RecordsSink.config(connection, postgres.jdbcUrl(), config.id(RecordsSink.DEFAULT_GROUP_ID), sinkTopics(config))
                .credentials(postgres.user(), postgres.password())
                .schema(config.dbSchema())
                .dlqTopicPattern(config.dlq());
    }

    public static RecordsSinkTopics sinkTopics(BackfillPipelineConfig config) {
        return new RecordsSinkTopics(config.records(), config.status());
    }

    /**
     * Like {@link #start}, but only the resolver and the rate limiter: the fetcher and the sink run
     * elsewhere (other processes, with {@link #fetcherConfig} and {@link #sinkConfig}) or are started
     * later with {@link #startFetcher()} and {@link #startSink()}.
     */
    public static BackfillPipeline startUpstream(ConnectionSettings connection, PostgresEndpoint postgres,
                                                 BackfillPipelineConfig config) {
        BackfillPipeline pipeline = new BackfillPipeline(connection, postgres, config, null);
        try {
            pipeline.startResolverAndLimiter();
            return pipeline;
        } catch (RuntimeException | Error e) {
            pipeline.close();
            throw e;
        }
    }

    private void startAll() {
        startResolverAndLimiter();
        startFetcher();
        startSink();
        log.info("backfill pipeline started: {}", config);
    }

    private void startResolverAndLimiter() {
        // Before anything produces: a topic auto-created by a producer could get another partition
        // count, and producing right after creation can fail (KAFKA-15591).
        ensureTopics(resolverConfig.connection(), config);
        try {
            Files.createDirectories(config.stateDir().resolve("spill"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        resolver = Resolver.create(resolverConfig);
        resolverRun = runOnThread(resolver::run, "backfill-resolver");
        limiter = new RateLimiterApp(limiterConfig);
        if (metrics != null) bindMetrics();
        limiter.start();
        try {
            if (!limiter.awaitRunning(LIMITER_START)) {
                throw new IllegalStateException("the rate limiter is not running after " + LIMITER_START + ": " + limiter.state());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the rate limiter", e);
        }
    }

    private void bindMetrics() {
        metrics.bind(new ResolverMetrics(resolver));
        metrics.bind(limiter.metrics());
        RateLimiterApp current = limiter;
        RateLimitHostMetrics hosts = metrics.bind(new RateLimitHostMetrics(current::hosts));
        metrics.beforeScrape(hosts::refresh);
        metrics.bind(new FetcherMetrics(() -> fetcherStats));
    }

    /** The rate limiter's per-host state (its hosts store), for the monitor; empty while it is not running. */
    public synchronized List<RateLimiterApp.HostView> rateLimitHosts() {
        return limiter == null ? List.of() : limiter.hosts();
    }

    /** The resolver's counters (zeros before it started). */
    public synchronized ResolverCounters resolverCounters() {
        return resolver == null ? new ResolverCounters(0, 0, 0, 0, 0, 0) : resolver.counters();
    }

    /** The counters of the records sink running now (or the last one); null before it first started. */
    public synchronized SinkCounters sinkCounters() {
        return sink == null ? null : sink.counters();
    }

    /** The counters of the fetcher instance running now (or the last one). */
    public FetcherStats.Snapshot fetcherStats() {
        return fetcherStats.snapshot();
    }

    public BackfillPipelineConfig config() {
        return config;
    }

    public FetcherConfig fetcherConfig() {
        return fetcherConfig;
    }

    public SinkConfig sinkConfig() {
        return sinkConfig;
    }

    /** Starts a fetcher instance; the one before must have been stopped. */
    public synchronized void startFetcher() {
        if (fetcher != null) throw new IllegalStateException("the fetcher is running");
        fetcher = FetcherApp.start(fetcherConfig);
        fetcherStats = fetcher.stats();
        log.info("fetcher started");
    }

    /** Stops the fetcher: downloads in flight finish or are abandoned to be fetched again. */
    public synchronized void stopFetcher() {
        if (fetcher == null) return;
        FetcherApp f = fetcher;
        fetcher = null;
        f.close();
        f.failure().ifPresent(e -> log.warn("the fetcher had failed", e));
        log.info("fetcher stopped: {}", f.stats().snapshot());
    }

    /** Starts a sink instance; the one before must have been stopped. */
    public synchronized void startSink() {
        if (sink != null) throw new IllegalStateException("the sink is running");
        sink = RecordsSink.create(sinkConfig, sinkTopics, serdes);
        sinkRun = runOnThread(sink::run, "backfill-records-sink-" + (++sinkStarts));
        log.info("records sink started");
    }

    /** Stops the sink: the batch being written is not committed and is read again by the next instance. */
    public synchronized void stopSink() {
        if (sink == null) return;
        ExactlyOnceSink<String, SpecificRecord> s = sink;
        sink = null;
        s.close();
        log.info("records sink stopped: {}", s.counters());
    }

    /** Throws if a stage has stopped on its own or failed. */
    public synchronized void assertHealthy() {
        check("resolver", resolverRun);
        check("records sink", sinkRun);
        if (fetcher != null) {
            if (fetcher.failure().isPresent()) throw new IllegalStateException("the fetcher failed", fetcher.failure().get());
        }
        if (limiter != null) {
            KafkaStreams.State state = limiter.state();
            if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                    || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
                throw new IllegalStateException("the rate limiter is " + state);
            }
        }
    }

    /** A one-line summary of the stages' counters, for progress logs. */
    public synchronized String progress() {
        return "resolver " + (resolver == null ? "-" : resolver.counters())
                + ", limiter " + (limiter == null ? "-" : limiter.state())
                + ", fetcher " + (fetcher == null ? "stopped" : fetcher.stats().snapshot())
                + ", sink " + (sink == null ? "stopped" : sink.counters());
    }

    private static void check(String stage, CompletableFuture<Void> run) {
        if (run == null || !run.isDone()) return;
        try {
            run.join();
        } catch (CompletionException e) {
            throw new IllegalStateException("the " + stage + " failed", e.getCause());
        }
        // ended without an exception: only fine if it was stopped on purpose
    }

    /** On a daemon thread; an Error goes on to the uncaught-exception handler (see {@link LoopThread}). */
    private static CompletableFuture<Void> runOnThread(Runnable loop, String name) {
        return LoopThread.start(name, loop);
    }

    /** Stops the stages in reverse order: sink, fetcher, rate limiter, resolver. */
    @Override
    public synchronized void close() {
        quietly("records sink", this::stopSink);
        quietly("fetcher", this::stopFetcher);
        if (limiter != null) {
            RateLimiterApp l = limiter;
            limiter = null;
            quietly("rate limiter", () -> l.close(LIMITER_CLOSE));
        }
        if (resolver != null) {
            Resolver r = resolver;
            resolver = null;
            quietly("resolver", r::close);
        }
        log.info("backfill pipeline stopped");
    }

    private static void quietly(String what, Runnable close) {
        try {
            close.run();
        } catch (RuntimeException e) {
            log.warn("closing the {} failed", what, e);
        }
    }
}
