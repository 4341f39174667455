package io.sluice.dcb.decider;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.transactions.HangingTransactionGuard;
import io.sluice.streams.dlq.DeadLetterHandler;
import io.sluice.streams.metrics.StreamsMeters;
import io.sluice.streams.transactions.TransactionalOutputs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * Runs the {@link DeciderTopology} in a KafkaStreams instance with {@code exactly_once_v2} and a
 * short commit interval ({@link DeciderConfig#commitInterval()}: results are visible to
 * read_committed consumers only once their transaction commits). A broker's error replaces the
 * stream thread; any other stops the whole client rather than retrying the command
 * ({@link DeciderFailures}). Commands it cannot read go to the DLQ ({@link DeadLetterHandler}). {@link #close()} commits what was decided and leaves the group.
 *
 * <pre>
 *   try (DeciderApp app = DeciderApp.start(DeciderConfig.defaults(connection))) {
 *       app.awaitRunning(Duration.ofSeconds(60));
 *       ...
 *   }
 * </pre>
 */
public final class DeciderApp implements AutoCloseable {

    /** The {@code sluice.dlq.stage} of its dead letters. */
    public static final String STAGE = "decider";

    private static final Logger log = LoggerFactory.getLogger(DeciderApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final HangingTransactionGuard hanging;

    private DeciderApp(KafkaStreams streams, HangingTransactionGuard hanging) {
        this.streams = streams;
        this.hanging = hanging;
    }

    /** Builds the topology and starts it; returns at once (see {@link #awaitRunning}). */
    public static DeciderApp start(DeciderConfig config) {
        Topology topology = DeciderTopology.build(config);
        Properties props = streamsProperties(config);
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(new DeciderFailures(System::nanoTime));
        streams.setStateListener((now, before) -> log.info("dcb decider {} -> {}", before, now));
        streams.start();
        // A broker killed mid-transaction can leave one hanging on a changelog: the restore would never end.
        return new DeciderApp(streams, TransactionalOutputs.guard("dcb decider", config.connection(), topology, props));
    }

    /** The Kafka Streams settings the decider runs with. */
    public static Properties streamsProperties(DeciderConfig config) {
        Properties props = new Properties();
        props.putAll(config.connection().streams());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // The stream thread commits only between polls: with the default poll.ms (100 ms) a lone
        // command waits in an open transaction until the next poll times out, so its result is
        // late by up to 100 ms whatever the commit interval. Polling no longer than the interval
        // keeps an idle decider's answers within about one commit interval.
        props.put(StreamsConfig.POLL_MS_CONFIG, config.commitInterval().toMillis());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, config.cacheMaxBytes());
        // All commands share one key, hence one partition and one task: more threads would idle.
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        // A second instance keeps a warm copy of the stores: when the active one dies it takes over
        // without restoring them from the changelogs first.
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        DeadLetterHandler.configure(props, STAGE, config.dlqTopic());
        // The 5.0 behaviour now (the decider has no global stores; this only silences the warning).
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
        config.clientId().ifPresent(id -> props.put(StreamsConfig.CLIENT_ID_CONFIG, id));
        // The commit flushes the producer anyway; a short linger only batches within the interval.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), Math.min(5L, config.commitInterval().toMillis()));
        // A transaction begun right after a commit can meet CONCURRENT_TRANSACTIONS until the
        // markers are written (a few ms); the default 100 ms backoff would stall the stream thread,
        // and with it every append, for a whole backoff at each such commit.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG), Math.min(10L, config.commitInterval().toMillis()));
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        // A killed decider leaves its transaction open, and until the coordinator aborts it the
        // survivor can neither fetch the committed offsets nor have its results read (read_committed).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                ConnectionSettings.streamsTransactionTimeoutMs(config.commitInterval()));
        return props;
    }

    /** Kafka Streams' own metrics (consumer lag, process and commit rates, ...) for a MeterRegistry; close it before the app. */
    public KafkaStreamsMetrics metrics() {
        return StreamsMeters.of(streams);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /**
     * Waits until the decider has restored its stores and is processing.
     *
     * @return false when {@code timeout} passed first or the client stopped
     */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.RUNNING) return true;
            if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) return false;
            Thread.sleep(50);
        }
        return false;
    }

    /**
     * Commits what was decided, leaves the consumer group and stops, waiting at most 30 s. Leaving
     * (Streams' default is to stay until the session times out) hands the single commands
     * partition to a replacement at once instead of after the 45 s session timeout.
     */
    @Override
    public void close() {
        CloseOptions options = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(CLOSE_TIMEOUT);
        hanging.close();
        if (!streams.close(options)) log.warn("dcb decider did not stop within {}", CLOSE_TIMEOUT);
    }
}
