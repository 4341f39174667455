package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.store.MemoryBudget;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One fetcher instance ({@code sluice fetcher}): the consumer group member on backfill.fetch that
 * downloads repositories and produces their records, statuses, retries, rate-limit signals and dead
 * letters; see {@link Fetcher} for the guarantees and {@link TaskRunner} for what each task
 * produces. {@link #start} runs it on a thread of its own until {@link #close}.
 *
 * <p>Clients: the consumer reads {@code read_committed} (the rate limiter writes transactionally,
 * and an aborted release must not be fetched) and commits manually; the producer is idempotent with
 * {@code acks=all}, and batches (256 KiB, 5 ms linger, lz4) because records are small and many.
 */
public final class FetcherApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FetcherApp.class);

    private final FetcherStats stats = new FetcherStats();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ExecutorService httpThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final BodyWatchdog watchdog;
    private final StoredRepos stored;
    private final Fetcher fetcher;
    private final Thread loop;
    private volatile RuntimeException failure;

    private FetcherApp(FetcherConfig config) {
        Topics topics = Topics.fromConfig(new AvroSerdeConfig(config.connection().requireRegistry(), true, true));
        this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer());
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(config.http().connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).executor(httpThreads).build();
        this.watchdog = new BodyWatchdog(config.http().idleTimeout(), config.http().bodyTimeout());
        Outputs outputs = new Outputs(producer, topics, config.topics(), config.maxRecordBytes());
        RepoDownloader downloader = new RepoDownloader(http, new EndpointPolicy(config.allowedPrivateHosts()), config,
                new MemoryBudget(config.blockMemoryBytes()), watchdog);
        FetcherConfig.Signals s = config.signals();
        this.stored = config.skipsUnchanged()
                ? new PostgresStoredRepos(config.storedDatabase().orElseThrow(), Math.min(8, config.maxInFlight()))
                : StoredRepos.NONE;
        TaskRunner runner = new TaskRunner(config, downloader, stored, outputs, new SignalThrottle(s.lowFraction(), s.lowFloor(),
                s.minInterval()), InstantSource.system(), stats);
        Deserializer<FetchTask> tasks = topics.backfillFetch().valueSerde().deserializer();
        this.fetcher = new Fetcher(config, consumer, tasks, runner, outputs, stats);
        this.loop = new Thread(this::runLoop, "sluice-fetcher");
    }

    /** Starts a fetcher; it runs until {@link #close()} or a fatal error ({@link #failure()}). */
    public static FetcherApp start(FetcherConfig config) {
        FetcherApp app = new FetcherApp(config);
        app.loop.start();
        return app;
    }

    public FetcherStats stats() {
        return stats;
    }

    /** Waits for the loop to end (by close or failure); true if it has. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return loop.join(timeout);
    }

    /** The error that ended the loop, if one did. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        fetcher.stop();
        try {
            loop.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runLoop() {
        try {
            fetcher.run();
        } catch (RuntimeException e) {
            failure = e;
            log.error("fetcher stopped", e);
        } finally {
            producer.close(Duration.ofSeconds(30));
            consumer.close();
            watchdog.close();
            stored.close();
            http.close();
            httpThreads.shutdownNow();
        }
    }

    static Map<String, Object> consumerProperties(FetcherConfig config) {
        Map<String, Object> props = config.connection().groupConsumer();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // One poll never brings more than one round of downloads (see maxPendingTasks).
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.min(500, config.maxInFlight()));
        // The consumer group protocol (KIP-848, see groupConsumer) assigns incrementally: partitions
        // that stay put keep their tasks running through a rebalance.
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-fetcher");
        props.putAll(config.consumerOverrides());
        return props;
    }

    static Map<String, Object> producerProperties(FetcherConfig config) {
        Map<String, Object> props = config.connection().producer();
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-fetcher");
        props.putAll(config.producerOverrides());
        return props;
    }
}
