package io.sluice.sinks.core;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.sluice.common.retry.Backoff;
import io.sluice.sinks.core.internals.Batch;
import io.sluice.sinks.core.internals.BatchTransaction;
import io.sluice.sinks.core.internals.Buffer;
import io.sluice.sinks.core.internals.Counters;
import io.sluice.sinks.core.internals.DeadLetterException;
import io.sluice.sinks.core.internals.OffsetStore;
import io.sluice.sinks.core.internals.PendingRecord;
import io.sluice.sinks.core.internals.SinkConsumers;
import io.sluice.sinks.core.internals.SinkDataSources;
import io.sluice.sinks.core.internals.SqlErrors;
import io.sluice.sinks.core.internals.StoredPositions;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * The exactly-once PostgreSQL sink loop, shared by every sluice sink.
 *
 * <p>Consumes the configured topics as raw bytes and deserializes each record with the stage's
 * deserializers. Produces rows, through the {@link SinkWriter}, one PostgreSQL transaction per batch
 * (flushed on size or time) that also stores the consumed offsets in {@code sluice_offsets}; dead letters
 * through the {@link ErrorReporter}; and, after each PostgreSQL commit, the same offsets committed to
 * Kafka so that the usual tools see the group's progress.
 *
 * <p>Guarantees: each record is written once, or reported at least once. PostgreSQL is the source of
 * truth: an assigned partition starts at its stored offset (at the beginning if it has none), whatever
 * Kafka holds. Transient PostgreSQL and dead-letter failures are retried with backoff, forever, with the
 * partitions paused and the consumer still polling so the instance stays in the group. An instance whose
 * partitions another has advanced (a zombie after a rebalance) is fenced by the stored offsets.
 *
 * <p>Call {@link #run()} on a thread of your own; {@link #close()} from any thread stops it. Buffered,
 * uncommitted records are dropped on stop and re-read on the next start.
 */
public final class ExactlyOnceSink<K, V> implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceSink.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The metadata of the offsets a sink commits to Kafka: tells tools ({@code sluice replay}) that the group
     * resumes from {@code sluice_offsets}, whatever its id, so a replay against the wrong database is refused.
     */
    public static final String OFFSET_METADATA = "sluice-sink";

    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws SQLException, DeadLetterException;
    }

    private final SinkConfig config;
    private final Deserializer<K> keys;
    private final Deserializer<V> values;
    private final Consumer<byte[], byte[]> consumer;
    private final HikariDataSource pool;
    /** The pool, or a test's wrapper of it: what the batches and the position reads connect through. */
    private final DataSource dataSource;
    private final AutoCloseable ownedReporter;
    private final OffsetStore offsets;
    private final BatchTransaction<K, V> transaction;
    private final Buffer<K, V> buffer;
    private final Backoff backoff;
    private final Counters counters;
    private final KafkaClientMetrics consumerMetrics;
    private final StoredPositions positions;
    /** The batch being written, so that a rebalance during its retries can take revoked partitions out. */
    private Batch<K, V> inFlight = Batch.empty();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Thread loopThread;

    /** A sink that dead-letters to Kafka ({@link KafkaDeadLetterQueue}). It owns and closes the deserializers. */
    public ExactlyOnceSink(SinkConfig config, Deserializer<K> keys, Deserializer<V> values, SinkWriter<K, V> writer) {
        this(config, keys, values, writer, new KafkaDeadLetterQueue(config), true, UnaryOperator.identity());
    }

    /** A sink that reports to {@code errors}, which the caller keeps and closes. */
    public ExactlyOnceSink(SinkConfig config, Deserializer<K> keys, Deserializer<V> values, SinkWriter<K, V> writer,
                           ErrorReporter errors) {
        this(config, keys, values, writer, errors, false, UnaryOperator.identity());
    }

    /**
     * Test seam, package-private on purpose: {@code connections} wraps the pool that the batch transactions
     * and the position reads take their connections from (the migrations and the closing use the pool
     * itself), so a test can fail a chosen statement or the commit of a batch. Only a fault between the
     * writer's rows and the stored offsets shows whether the two commit together, and no fault a test can
     * cause from outside lands there reliably. Otherwise as {@link #ExactlyOnceSink(SinkConfig,
     * Deserializer, Deserializer, SinkWriter)}.
     */
    ExactlyOnceSink(SinkConfig config, Deserializer<K> keys, Deserializer<V> values, SinkWriter<K, V> writer,
                    UnaryOperator<DataSource> connections) {
        this(config, keys, values, writer, new KafkaDeadLetterQueue(config), true, connections);
    }

    private ExactlyOnceSink(SinkConfig config, Deserializer<K> keys, Deserializer<V> values, SinkWriter<K, V> writer,
                            ErrorReporter errors, boolean ownsReporter, UnaryOperator<DataSource> connections) {
        this.config = config;
        this.keys = keys;
        this.values = values;
        this.ownedReporter = ownsReporter ? (AutoCloseable) errors : () -> { };
        this.pool = SinkDataSources.create(config);
        this.dataSource = connections.apply(pool);
        try {
            this.consumer = SinkConsumers.create(config);
        } catch (RuntimeException e) {
            closeQuietly("connection pool", pool);
            closeQuietly("error reporter", ownedReporter);
            throw e;
        }
        this.offsets = new OffsetStore(config.schema(), config.groupId());
        this.transaction = new BatchTransaction<>(dataSource, offsets, writer, errors);
        this.positions = new StoredPositions(consumer, dataSource, offsets);
        this.buffer = new Buffer<>(config.batchSize(), config.flushInterval());
        // Equal jitter: sinks knocked out by one PostgreSQL restart do not come back in lockstep.
        this.backoff = Backoff.doubling(config.backoffMin(), config.backoffMax(), 0.5);
        this.counters = new Counters(config.meterRegistry(), config.stage(), config.groupId());
        // records-lag-max, fetch rates and the like, straight from the consumer; looked at again every
        // few seconds because per-partition metrics appear only once partitions are assigned. No extra
        // tags: client_id names the sink, and Prometheus refuses a second Kafka client (a Streams app in
        // the same process) whose same-named meters carry a different set of tag keys.
        this.consumerMetrics = new KafkaClientMetrics(consumer, Tags.empty(),
                Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sink-meters-refresh").daemon().factory()),
                Duration.ofSeconds(5));
        consumerMetrics.bindTo(config.meterRegistry());
    }

    /**
     * Migrates the schema, then consumes until {@link #close()}. Throws {@link SinkException} on a failure
     * that retrying cannot fix; whatever it throws, the current batch is not committed.
     */
    public void run() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("run() may be called once, and not after close()");
        loopThread = Thread.currentThread();
        try {
            if (closing.get()) return;
            SinkMigrations.migrate(pool, config.schema());
            consumer.subscribe(config.topics(), new Rebalance());
            log.info("sink started: {}", config);
            while (!closing.get()) {
                poll(buffer.untilDue(System.nanoTime()));
                if (positions.isPending()) {
                    retrying("seek to the stored offsets", () -> {
                        positions.positionPending();
                        return null;
                    });
                }
                if (buffer.isDue(System.nanoTime())) flush(buffer.drain());
            }
        } catch (WakeupException e) {
            if (!closing.get()) throw e;
        } finally {
            closeResources();
            stopped.countDown();
            log.info("sink {} stopped: {}", config.stage(), counters.snapshot());
        }
    }

    /** Stops the loop and waits (up to 30 s) for it to release the consumer, the pool and the producer. */
    @Override
    public void close() {
        closing.set(true);
        if (started.compareAndSet(false, true)) {
            closeResources();
            stopped.countDown();
            return;
        }
        consumer.wakeup();
        if (Thread.currentThread() == loopThread) return;
        try {
            if (!stopped.await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("sink {} did not stop within {}", config.stage(), CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public SinkCounters counters() {
        return counters.snapshot();
    }

    private void poll(Duration timeout) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(timeout);
        long now = System.nanoTime();
        counters.consumed(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            // Paused partitions return nothing; this only guards against reading before the seek.
            if (positions.isPending(new TopicPartition(r.topic(), r.partition()))) continue;
            buffer.add(PendingRecord.decode(r, keys, values), now);
        }
    }

    private void flush(Batch<K, V> batch) {
        inFlight = batch;
        long startedNanos = System.nanoTime();
        try {
            while (!inFlight.isEmpty()) {
                switch (retrying("write a batch", () -> transaction.run(inFlight))) {
                    case BatchTransaction.Committed c -> {
                        if (c.nextOffsets().isEmpty()) return; // every partition was revoked meanwhile
                        counters.committed(c.writtenByTopic(), c.deadLettered(), Duration.ofNanos(System.nanoTime() - startedNanos));
                        commitToKafka(c.nextOffsets());
                        return;
                    }
                    case BatchTransaction.Fenced f -> {
                        counters.fenced(f.partitions().size());
                        log.warn("partitions {} were advanced past this batch by another member of group {}: "
                                + "dropping these records and seeking to the stored offsets", f.partitions(), config.groupId());
                        inFlight = inFlight.without(f.partitions());
                        buffer.remove(f.partitions());
                        positions.require(f.partitions());
                    }
                }
            }
        } finally {
            inFlight = Batch.empty();
        }
    }

    /** Runs {@code attempt} until it succeeds, backing off after each transient failure. */
    private <T> T retrying(String what, Attempt<T> attempt) {
        for (int n = 1; ; n++) {
            try {
                T result = attempt.run();
                if (n > 1) {
                    log.info("{}: succeeded at attempt {}", what, n);
                    consumer.resume(positions.ready());
                }
                return result;
            } catch (SQLException e) {
                if (SqlErrors.classify(e) != SqlErrors.Kind.TRANSIENT) {
                    throw new SinkException(what + " failed [SQLState " + e.getSQLState() + "]: " + e.getMessage(), e);
                }
                log.warn("{}: attempt {} failed, retrying: {}", what, n, SqlErrors.mostSpecific(e).toString());
            } catch (DeadLetterException e) {
                log.warn("{}: attempt {} failed, retrying: {} ({})", what, n, e.getMessage(), String.valueOf(e.getCause()));
            }
            counters.retried();
            // Paused, the consumer fetches nothing, but polling keeps this member in the group.
            consumer.pause(consumer.assignment());
            pollFor(backoff.delay(n));
        }
    }

    private void pollFor(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        for (long left = duration.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            poll(Duration.ofNanos(left));
        }
    }

    private void commitToKafka(Map<TopicPartition, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        nextOffsets.forEach((tp, next) -> commit.put(tp, new OffsetAndMetadata(next, OFFSET_METADATA)));
        try {
            consumer.commitSync(commit);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // Only what tools show lags behind; the sink itself resumes from PostgreSQL.
            log.warn("Kafka offset commit failed, PostgreSQL has the offsets: {}", e.toString());
        }
    }

    private void closeResources() {
        closeQuietly("consumer metrics", consumerMetrics);
        closeQuietly("sink meters", counters);
        closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(10))));
        closeQuietly("error reporter", ownedReporter);
        closeQuietly("connection pool", pool);
        closeQuietly("key deserializer", keys);
        closeQuietly("value deserializer", values);
    }

    private static void closeQuietly(String what, AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("closing the {} failed: {}", what, e.toString());
        }
    }

    /** Keeps the buffered and in-flight records of revoked partitions away from PostgreSQL. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            // Their next owner re-reads these records from the stored offsets.
            buffer.remove(partitions);
            inFlight = inFlight.without(partitions);
            positions.forget(partitions);
            log.info("revoked {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            // Paused until the loop has read their offsets: PostgreSQL may be down right now.
            positions.require(partitions);
            log.info("assigned {}", partitions);
        }
    }
}
