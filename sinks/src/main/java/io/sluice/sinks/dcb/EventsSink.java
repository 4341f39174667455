package io.sluice.sinks.dcb;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.dcb.Event;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.core.SinkConfig;
import io.sluice.sinks.core.SinkCounters;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The DCB events sink: consumes dcb.events (read_committed, so only appends the decider committed)
 * and produces rows of the {@code events} table through {@link EventsWriter}, on the exactly-once
 * sink core: rows and consumed offsets commit in one PostgreSQL transaction, so each event is
 * written once, in position order (dcb.events has one partition), and a restart resumes where
 * PostgreSQL says. Runs the sink loop on a thread of its own from {@link #start} until
 * {@link #close}.
 */
public final class EventsSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventsSink.class);

    public static final String STAGE = "events-sink";
    public static final String DEFAULT_GROUP_ID = "sluice-dcb-events-sink";
    /**
     * Reads wait for the sink (read-your-writes), so it flushes often: a batch is due after 5 ms or
     * 5,000 events, whichever comes first.
     */
    public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofMillis(5);
    public static final int DEFAULT_BATCH_SIZE = 5_000;

    private final ExactlyOnceSink<Long, Event> sink;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    private EventsSink(ExactlyOnceSink<Long, Event> sink) {
        this.sink = sink;
        this.thread = new Thread(this::run, STAGE);
        this.thread.setDaemon(true);
    }

    /**
     * The events sink's settings (normally group {@value #DEFAULT_GROUP_ID}): the given topics, short
     * flushes; change what else you need before {@code build()}.
     */
    public static SinkConfig.Builder configure(String groupId, ConnectionSettings connection, String jdbcUrl, String eventsTopic,
                                               String dlqTopic) {
        return SinkConfig.builder(STAGE, groupId, connection, jdbcUrl)
                .topics(eventsTopic)
                .dlqTopicPattern(dlqTopic)
                .batchSize(DEFAULT_BATCH_SIZE)
                .flushInterval(DEFAULT_FLUSH_INTERVAL);
    }

    /** Starts the loop on its own thread; it owns and closes the deserializers. */
    public static EventsSink start(SinkConfig config, Deserializer<Long> keys, Deserializer<Event> values, String channel) {
        EventsSink sink = new EventsSink(new ExactlyOnceSink<>(config, keys, values, new EventsWriter(channel)));
        sink.thread.start();
        return sink;
    }

    private void run() {
        try {
            sink.run();
        } catch (RuntimeException e) {
            // Only what retrying cannot fix ends up here (a missing table, a bug): reads will wait
            // for events that never come, so say why loudly.
            log.error("the dcb events sink stopped", e);
            failure.set(e);
        } finally {
            stopped.countDown();
        }
    }

    /** True until the loop has ended (closed or failed). */
    public boolean isRunning() {
        return stopped.getCount() > 0;
    }

    /** Why the loop ended, when it failed. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(failure.get());
    }

    public SinkCounters counters() {
        return sink.counters();
    }

    /** Stops the loop; buffered events are dropped and re-read from the stored offsets next time. */
    @Override
    public void close() {
        sink.close();
    }
}
