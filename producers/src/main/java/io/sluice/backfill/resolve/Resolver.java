package io.sluice.backfill.resolve;

import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The resolver application: one member of the resolver consumer group. Consumes {@link DidWorkItem}s
 * from {@code backfill.dids}; resolves each DID with a {@link DidResolver} (up to {@code maxInFlight}
 * lookups at once, on virtual threads); produces through {@link ResolverOutputs}: ResolvedDid +
 * DidStatus RESOLVED, or the record to {@code backfill.dlq} + DidStatus FAILED.
 *
 * <p>Guarantees: at least once. Each poll's records are processed in parallel, and the poll's offsets
 * are committed only after every output of every record has been acknowledged by the broker
 * (idempotent producer, {@code acks=all}); a crash or rebalance before that makes the next owner redo
 * those records, which downstream tolerates (the rate limiter and the sinks are idempotent per DID).
 * While lookups run the partitions are paused and the consumer keeps polling, so slow retries do not
 * cost the group membership. A send the producer gives up on ({@code delivery.timeout.ms}) stops the
 * resolver with an exception, uncommitted; restart it.
 *
 * <p>Call {@link #run()} on a thread of your own; {@link #close()} from any thread stops it.
 */
public final class Resolver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Resolver.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long WAIT_SLICE_MS = 100;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ResolverConfig config;
    private final Consumer<byte[], byte[]> consumer;
    private final ResolverOutputs outputs;
    private final DidResolver resolver;
    private final Deserializer<DidWorkItem> values;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight;
    private final LongAdder consumed = new LongAdder();
    private final LongAdder resolved = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean batchRunning;
    private volatile Thread loopThread;

    Resolver(ResolverConfig config, Consumer<byte[], byte[]> consumer, ResolverOutputs outputs, DidResolver resolver,
             Deserializer<DidWorkItem> values) {
        this.config = config;
        this.consumer = consumer;
        this.outputs = outputs;
        this.resolver = resolver;
        this.values = values;
        this.inFlight = new Semaphore(config.maxInFlight());
    }

    /** Creates the four topics if missing (and waits until they are ready), then the clients. */
    public static Resolver create(ResolverConfig config) {
        TopicAdmin.ensure(config.connection(), List.of(config.inputTopic(), config.resolvedTopic(),
                config.statusTopic(), config.dlqTopic()), config.partitions(), TopicAdmin.DEFAULT_TIMEOUT);
        Topics topics = Topics.fromConfig(new AvroSerdeConfig(config.connection().requireRegistry(), true, true));
        Map<String, Object> consumerProps = config.connection().groupConsumer();
        consumerProps.putAll(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords(),
                ConsumerConfig.CLIENT_ID_CONFIG, config.clientId()));
        Map<String, Object> producerProps = config.connection().producer();
        producerProps.putAll(Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, config.clientId()));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
        ResolverOutputs outputs = new ResolverOutputs(config,
                new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()),
                topics.serdes().stringKey().serializer(), topics.backfillResolved().valueSerde().serializer(),
                topics.backfillStatus().valueSerde().serializer(), Clock.systemUTC());
        return new Resolver(config, consumer, outputs, DidResolver.create(config),
                topics.backfillDids().valueSerde().deserializer());
    }

    /** Consumes until {@link #close()}; throws if an output could not be sent (nothing of that poll is committed). */
    public void run() {
        if (!started.compareAndSet(false, true)) throw new IllegalStateException("run() may be called once, and not after close()");
        loopThread = Thread.currentThread();
        try {
            if (closing.get()) return;
            consumer.subscribe(List.of(config.inputTopic()), new Rebalance());
            log.info("resolver started: group {}, {} -> {}, {}, {}; PLC directory {}", config.groupId(),
                    config.inputTopic(), config.resolvedTopic(), config.statusTopic(), config.dlqTopic(), config.plcDirectory());
            while (!closing.get()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                if (!records.isEmpty()) processAndCommit(records);
            }
        } catch (WakeupException e) {
            if (!closing.get()) throw e;
        } finally {
            closeResources();
            stopped.countDown();
            log.info("resolver stopped: {}", counters());
        }
    }

    public ResolverCounters counters() {
        return new ResolverCounters(consumed.sum(), resolved.sum(), failed.sum(), resolver.cacheHits.sum(),
                resolver.retries.sum(), commits.sum());
    }

    private void processAndCommit(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        List<Future<?>> tasks = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            tasks.add(executor.submit(() -> {
                process(r);
                return null;
            }));
        }
        consumed.add(records.count());
        batchRunning = true;
        try {
            for (Future<?> task : tasks) awaitPolling(task);
        } finally {
            batchRunning = false;
        }
        // A partition revoked meanwhile is redone by its new owner; committing it here would fail anyway.
        next.keySet().retainAll(consumer.assignment());
        try {
            if (!next.isEmpty()) consumer.commitSync(next);
            commits.increment();
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.warn("offset commit failed after a rebalance, the records will be resolved again: {}", e.toString());
        }
        consumer.resume(consumer.paused());
    }

    /** Waits for {@code task}, polling the paused consumer meanwhile so that the group keeps this member. */
    private void awaitPolling(Future<?> task) {
        while (true) {
            try {
                task.get(WAIT_SLICE_MS, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                consumer.pause(consumer.assignment());
                ConsumerRecords<byte[], byte[]> stray = consumer.poll(Duration.ZERO);
                // Only a partition assigned during that very poll can deliver; read it again later.
                for (TopicPartition tp : stray.partitions()) consumer.seek(tp, stray.records(tp).getFirst().offset());
            } catch (ExecutionException e) {
                throw new KafkaException("resolver output failed, nothing of this poll is committed: " + e.getCause(),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
    }

    /** On a virtual thread: resolve one record and wait until its outputs are acknowledged. */
    private void process(ConsumerRecord<byte[], byte[]> raw) throws InterruptedException, ExecutionException {
        DidWorkItem item;
        try {
            item = values.deserialize(raw.topic(), raw.headers(), raw.value());
            if (item == null) throw new IllegalArgumentException("the record has no value (a tombstone)");
        } catch (RuntimeException e) {
            awaitAll(outputs.failed(raw, null, FailureReason.DESERIALIZATION, e.getClass().getName(), String.valueOf(e.getMessage())));
            failed.increment();
            return;
        }
        Resolution resolution;
        inFlight.acquire();
        try {
            resolution = resolver.resolve(item.getDid());
        } finally {
            inFlight.release();
        }
        switch (resolution) {
            case Resolution.Resolved r -> {
                awaitAll(outputs.resolved(item, r.pds()));
                resolved.increment();
            }
            case Resolution.Failed f -> {
                log.debug("{} -> DLQ: {} {}", f.did(), f.reason().code(), f.message());
                awaitAll(outputs.failed(raw, item, f.reason(), ResolutionException.class.getName(), f.message()));
                failed.increment();
            }
        }
    }

    private static void awaitAll(List<Future<RecordMetadata>> acks) throws InterruptedException, ExecutionException {
        for (Future<RecordMetadata> ack : acks) ack.get();
    }

    /** Stops the loop and waits (up to 30 s) for it to release the clients. */
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
                log.warn("resolver did not stop within {}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeResources() {
        executor.shutdownNow();
        closeQuietly("consumer", () -> consumer.close(CloseOptions.timeout(Duration.ofSeconds(10))));
        closeQuietly("producer", outputs);
        closeQuietly("value deserializer", values);
    }

    private static void closeQuietly(String what, AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("closing the {} failed: {}", what, e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (!partitions.isEmpty()) log.info("revoked {}", partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) return;
            // Mid-poll-batch: take nothing new until the running lookups are committed.
            if (batchRunning) consumer.pause(partitions);
            log.info("assigned {}", partitions);
        }
    }
}
