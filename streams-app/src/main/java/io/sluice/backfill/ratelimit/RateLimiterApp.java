package io.sluice.backfill.ratelimit;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.transactions.HangingTransactionGuard;
import io.sluice.streams.dlq.DeadLetterHandler;
import io.sluice.streams.metrics.StreamsMeters;
import io.sluice.streams.transactions.TransactionalOutputs;
import io.sluice.backfill.ratelimit.internals.HostState;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Runs {@link RateLimiterTopology} in a KafkaStreams instance: exactly_once_v2, records that are not
 * valid Avro or that the limiter rejects go to the DLQ topic, any other failure shuts the instance
 * down (the orchestrator restarts it; the persisted state means no burst after the restart).
 * {@link #close()} leaves the consumer group so partitions move to the other instances at once.
 */
public final class RateLimiterApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RateLimiterApp.class);

    /** The {@code sluice.dlq.stage} of its dead letters. */
    public static final String STAGE = "ratelimiter";

    private final RateLimiterConfig config;
    private final KafkaStreams streams;
    private final FetchOwners owners;
    private final HangingTransactionGuard hanging;

    public RateLimiterApp(RateLimiterConfig config) {
        this.config = config;
        this.owners = config.fetchGroup()
                .map(g -> FetchOwners.observe(Admin.create(config.connection().admin()), g, config.topics().fetch()))
                .orElse(FetchOwners.ANY);
        Topology topology = RateLimiterTopology.build(config, Topics.fromConfig(
                new AvroSerdeConfig(config.connection().requireRegistry(), true, true)), owners);
        Properties props = streamsProperties(config);
        this.streams = new KafkaStreams(topology, props);
        this.hanging = TransactionalOutputs.guard("rate limiter", config.connection(), topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            log.error("rate limiter stream thread failed; shutting the instance down", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    /** The Kafka Streams settings for {@code config}; {@link RateLimiterConfig#streamsOverrides()} win. */
    public static Properties streamsProperties(RateLimiterConfig config) {
        Map<String, Object> p = config.connection().streams();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.timing().commitInterval().toMillis());
        // The stream thread punctuates between polls: a poll that blocks longer than the punctuation
        // interval (default 100 ms) would delay releases while the inputs are quiet.
        p.put(StreamsConfig.POLL_MS_CONFIG, config.timing().punctuation().toMillis());
        DeadLetterHandler.configure(p, STAGE, config.topics().dlq());
        // no global stores here; set so Kafka Streams 4.x does not warn about the coming default
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Released tasks are latency-sensitive (their deadline runs from release), so do not linger.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        // A killed instance's open transaction holds back the survivor's restore of the changelogs it wrote
        // until the coordinator aborts it: Streams' 10 s default would make that the takeover time.
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                ConnectionSettings.streamsTransactionTimeoutMs(config.timing().commitInterval()));
        p.putAll(config.streamsOverrides());
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    public void start() {
        log.info("starting rate limiter {}: default policy {}, {} host overrides, topics {}", config.applicationId(),
                config.defaultPolicy(), config.hostPolicies().size(), config.topics());
        streams.start();
    }

    /** Kafka Streams' own metrics (consumer lag, process and commit rates, ...) for a MeterRegistry; close it before the app. */
    public KafkaStreamsMetrics metrics() {
        return StreamsMeters.of(streams);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * One PDS host's limiter state as this instance holds it.
     *
     * @param host          the PDS host
     * @param queued        tasks waiting for a release
     * @param available     releases the window and pacing allow right now (the "tokens")
     * @param limit         requests allowed per window
     * @param pausedUntilMs epoch millis until which releases are paused after 429s (0: not paused)
     */
    public record HostView(String host, long queued, int available, int limit, long pausedUntilMs) {
    }

    /**
     * The hosts in this instance's {@code ratelimit-hosts} store (an interactive query, so only the
     * partitions it owns); empty while the store is not queryable (starting, rebalancing).
     */
    public List<HostView> hosts() {
        long now = System.currentTimeMillis();
        List<HostView> views = new ArrayList<>();
        try {
            ReadOnlyKeyValueStore<String, HostState> store = streams.store(StoreQueryParameters.fromNameAndType(
                    RateLimiterTopology.HOSTS_STORE, QueryableStoreTypes.<String, HostState>keyValueStore()));
            try (KeyValueIterator<String, HostState> all = store.all()) {
                all.forEachRemaining(e -> views.add(new HostView(e.key, e.value.queued(), e.value.limiter().available(now),
                        e.value.limiter().limit(), now < e.value.pausedUntil() ? e.value.pausedUntil() : 0)));
            }
        } catch (InvalidStateStoreException e) {
            return List.of();
        }
        return views;
    }

    /** Waits until the instance is RUNNING; false when {@code timeout} passed or it failed first. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            KafkaStreams.State s = streams.state();
            if (s == KafkaStreams.State.RUNNING) return true;
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) return false;
            Thread.sleep(50);
        }
        return false;
    }

    /** Stops within {@code timeout}; true when every thread stopped in time. */
    public boolean close(Duration timeout) {
        boolean closed = streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(timeout));
        owners.close();
        hanging.close();
        return closed;
    }

    @Override
    public void close() {
        if (!close(Duration.ofSeconds(30))) log.warn("rate limiter {} did not stop within 30 s", config.applicationId());
    }
}
