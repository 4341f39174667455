package io.sluice.sinks.core.internals;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.sluice.sinks.core.SinkCounters;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink's running totals: written by the loop thread, read from any thread. The atomics are the
 * truth ({@link #snapshot()}); the registry sees them through function counters, plus a batch-size
 * summary and a flush timer that only the registry keeps. {@link #close()} removes this sink's meters,
 * so a sink started again in the same process (same stage and group) is not shadowed by the old one.
 */
public final class Counters implements AutoCloseable {

    public static final String CONSUMED = "sluice.sink.records.consumed";
    public static final String WRITTEN = "sluice.sink.records.written";
    /** {@link #WRITTEN} per source topic (tag {@code topic}); a name of its own, as one name must keep one set of tag keys. */
    public static final String WRITTEN_BY_TOPIC = "sluice.sink.topic.records.written";
    public static final String DEAD_LETTERED = "sluice.sink.records.dead.lettered";
    public static final String RETRIES = "sluice.sink.retries";
    public static final String FENCED = "sluice.sink.fenced.partitions";
    public static final String BATCHES = "sluice.sink.batch.size";
    public static final String FLUSH = "sluice.sink.flush";

    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong fenced = new AtomicLong();
    private final Map<String, AtomicLong> writtenByTopic = new ConcurrentHashMap<>();
    private final Tags tags;
    private final MeterRegistry registry;
    private final DistributionSummary batchSizes;
    private final Timer flushes;
    private final List<Meter> meters;

    /** Registers the sink's meters, tagged {@code stage} and {@code group}. */
    public Counters(MeterRegistry registry, String stage, String group) {
        this.registry = registry;
        this.tags = Tags.of("stage", stage, "group", group);
        this.batchSizes = DistributionSummary.builder(BATCHES).baseUnit("records").tags(tags)
                .description("records per committed PostgreSQL transaction").register(registry);
        this.flushes = Timer.builder(FLUSH).tags(tags)
                .description("time to write and commit one batch, retries included").register(registry);
        this.meters = new CopyOnWriteArrayList<>(List.of(batchSizes, flushes,
                counter(CONSUMED, "records polled from Kafka (re-reads after a rebalance included)", consumed, tags),
                counter(WRITTEN, "records written in committed transactions", recordsWritten, tags),
                counter(DEAD_LETTERED, "records sent to the dead-letter topic in committed transactions", deadLettered, tags),
                counter(RETRIES, "failed attempts that were retried", retries, tags),
                counter(FENCED, "partitions found advanced by another instance", fenced, tags)));
    }

    private FunctionCounter counter(String name, String description, AtomicLong value, Tags tags) {
        return FunctionCounter.builder(name, value, AtomicLong::get).tags(tags).description(description).register(registry);
    }

    public void consumed(int records) {
        consumed.addAndGet(records);
    }

    public void committed(Map<String, Integer> written, int rejected, Duration took) {
        int total = 0;
        for (Map.Entry<String, Integer> topic : written.entrySet()) {
            writtenByTopic.computeIfAbsent(topic.getKey(), this::topicCounter).addAndGet(topic.getValue());
            total += topic.getValue();
        }
        recordsWritten.addAndGet(total);
        deadLettered.addAndGet(rejected);
        batches.incrementAndGet();
        batchSizes.record(total + rejected);
        flushes.record(took);
    }

    private AtomicLong topicCounter(String topic) {
        AtomicLong value = new AtomicLong();
        meters.add(counter(WRITTEN_BY_TOPIC, "records written in committed transactions, per source topic", value,
                tags.and("topic", topic)));
        return value;
    }

    public void retried() {
        retries.incrementAndGet();
    }

    public void fenced(int partitions) {
        fenced.addAndGet(partitions);
    }

    public SinkCounters snapshot() {
        Map<String, Long> byTopic = new HashMap<>();
        writtenByTopic.forEach((topic, n) -> byTopic.put(topic, n.get()));
        return new SinkCounters(recordsWritten.get(), batches.get(), deadLettered.get(), retries.get(), fenced.get(), byTopic);
    }

    @Override
    public void close() {
        meters.forEach(registry::remove);
    }
}
