package io.sluice.etl.flatten;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.transactions.HangingTransactionGuard;
import io.sluice.streams.metrics.StreamsMeters;
import io.sluice.streams.transactions.TransactionalOutputs;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Runs the flattener topology as a Kafka Streams application (exactly_once_v2). Schemas of
 * {@code etl.user-rows} are registered on first write. A stream thread that dies on a transient
 * error (registry or broker unavailable) is replaced, so the record is retried, never skipped.
 */
public final class FlattenerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FlattenerApp.class);

    /** Kafka Streams' commit interval under exactly-once when none is set. */
    private static final long EXACTLY_ONCE_COMMIT_INTERVAL_MS = 100;
    static final int BUNDLE_BATCH_BYTES = 256 * 1024;
    static final int BUNDLE_LINGER_MS = 5;

    private final KafkaStreams streams;
    private final HangingTransactionGuard hanging;

    public FlattenerApp(FlattenerConfig config) {
        this(config, Map.of());
    }

    /**
     * With Streams settings on top of {@link FlattenerConfig#streamsProperties()} (thread count, commit
     * interval, client tuning); the processing guarantee stays exactly_once_v2 whatever they say.
     */
    public FlattenerApp(FlattenerConfig config, Map<String, ?> overrides) {
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(config.connection().requireRegistry()), true);
        Topology topology = FlattenerTopology.build(config, serdes);
        Properties props = streamsProperties(config, overrides);
        this.streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(FlattenerApp::onStreamThreadFailure);
        this.hanging = TransactionalOutputs.guard("flattener", config.connection(), topology, props);
    }

    /** {@link FlattenerConfig#streamsProperties()} with {@code overrides} on top, exactly_once_v2 whatever they say. */
    static Properties streamsProperties(FlattenerConfig config, Map<String, ?> overrides) {
        Properties props = config.streamsProperties();
        props.putAll(overrides);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // A killed instance's open transaction, its offsets pending, holds back the survivor's fetch of the
        // committed offsets until the coordinator aborts it: Streams' 10 s default would make that the takeover time.
        if (unsetForProducer(props, ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)) {
            Object interval = props.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
            long ms = interval == null ? EXACTLY_ONCE_COMMIT_INTERVAL_MS : Long.parseLong(interval.toString());
            props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                    ConnectionSettings.streamsTransactionTimeoutMs(Duration.ofMillis(ms)));
        }
        // A row bundle is a few KiB, so the 16 KiB default batch holds a handful, and Streams' 100 ms
        // linger (its exactly-once commit interval) left every batch to go out at the commit, which then
        // waited for all of them. Batches that leave as they fill keep the commit short; bench etl
        // --users 10000: 3.3-3.7 s against 3.7-4.1 s with the defaults, in the same session.
        if (unsetForProducer(props, ProducerConfig.BATCH_SIZE_CONFIG)) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), BUNDLE_BATCH_BYTES);
        }
        if (unsetForProducer(props, ProducerConfig.LINGER_MS_CONFIG)) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), BUNDLE_LINGER_MS);
        }
        return props;
    }

    /** Neither the user nor an override set {@code name} for the producer, plain or with Streams' prefix. */
    private static boolean unsetForProducer(Properties props, String name) {
        return !props.containsKey(name) && !props.containsKey(StreamsConfig.producerPrefix(name));
    }

    /**
     * An exception replaces the thread, to retry; an Error (OutOfMemoryError, ...) shuts the client
     * down, as a replaced thread would meet it again, so that the command fails and is restarted.
     */
    static StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamThreadFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Error) {
                LOG.error("flattener stream thread failed with an Error; shutting the instance down", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            }
        }
        LOG.error("flattener stream thread failed; replacing it to retry", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    public void start() {
        streams.start();
    }

    /** Kafka Streams' own metrics (consumer lag, process and commit rates, ...) for a MeterRegistry; close it before the app. */
    public KafkaStreamsMetrics metrics() {
        return StreamsMeters.of(streams);
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Records the stream threads have processed since the start (Streams' {@code process-total}), for progress reports. */
    public long recordsProcessed() {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> m : streams.metrics().entrySet()) {
            if (m.getKey().name().equals("process-total") && m.getKey().group().equals("stream-thread-metrics")
                    && m.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return (long) total;
    }

    @Override
    public void close() {
        hanging.close();
        streams.close(Duration.ofSeconds(30));
    }
}
