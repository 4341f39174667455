package io.sluice.streams.metrics;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import org.apache.kafka.streams.KafkaStreams;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Kafka Streams' own metrics as Micrometer meters, for the sluice Streams applications. */
public final class StreamsMeters {

    /**
     * How often new Kafka metrics are looked for. A Streams client registers its consumers' and tasks'
     * metrics as its threads start and tasks get assigned, after the binder first looked; Micrometer's
     * default of a minute would leave lag out of the first minute of scrapes.
     */
    static final Duration REFRESH = Duration.ofSeconds(5);

    private StreamsMeters() {
    }

    /** A binder for {@code streams} (records-lag-max, process and commit rates, ...); closing it stops its refresh thread. */
    public static KafkaStreamsMetrics of(KafkaStreams streams) {
        ScheduledExecutorService refresh = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("streams-meters-refresh").daemon().factory());
        return new KafkaStreamsMetrics(streams, Tags.empty(), refresh, REFRESH);
    }
}
