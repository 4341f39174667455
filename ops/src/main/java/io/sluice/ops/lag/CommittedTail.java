package io.sluice.ops.lag;

import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where, between a group's committed offset and the last stable offset, the first record a
 * read_committed consumer would get lies. Commit markers and aborted records take offsets but are never
 * delivered, and a consumer that stores "last record + 1" (the sinks do) stays short of the LSO by
 * them forever; counted from the first deliverable record, such a drained group has lag 0.
 *
 * <p>Reads with a consumer of its own (no group, commits nothing, small fetches), kept open from one
 * sample to the next: at most one fetch round per partition when records wait, more only across
 * aborted transactions; bounded by a time budget, after which a partition keeps its committed offset
 * as the start of its lag (an over-count, never an under-count). Not thread-safe, like the consumer.
 */
final class CommittedTail implements AutoCloseable {

    /** Enough to see the first record; a backlog's bytes are not what the probe wants. */
    private static final int FETCH_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(CommittedTail.class);

    private final Map<String, Object> consumerProperties;
    private final Duration budget;
    private KafkaConsumer<byte[], byte[]> consumer;

    /** @param consumerProperties connection settings (bootstrap, security) for the probing consumer */
    CommittedTail(Map<String, Object> consumerProperties, Duration budget) {
        this.consumerProperties = Map.copyOf(Objects.requireNonNull(consumerProperties, "consumerProperties"));
        this.budget = Objects.requireNonNull(budget, "budget");
    }

    /**
     * Per partition of {@code from} (with its LSO in {@code lso}, above {@code from}): the offset of the
     * first deliverable record at or after {@code from}, or the LSO when there is none. Partitions not
     * settled within the budget are left out.
     */
    Map<TopicPartition, Long> firstDeliverable(Map<TopicPartition, Long> from, Map<TopicPartition, Long> lso) {
        Map<TopicPartition, Long> out = new HashMap<>();
        if (from.isEmpty()) return out;
        try {
            if (consumer == null) consumer = newConsumer();
            consumer.assign(from.keySet());
            consumer.resume(consumer.paused());
            from.forEach(consumer::seek);
            Set<TopicPartition> pending = new HashSet<>(from.keySet());
            long deadline = System.nanoTime() + budget.toNanos();
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (pending.remove(tp)) out.put(tp, Math.min(r.offset(), lso.get(tp)));
                }
                for (TopicPartition tp : Set.copyOf(pending)) {
                    // The consumer steps over markers and aborted batches without returning anything.
                    if (consumer.position(tp, Duration.ofMillis(100)) >= lso.get(tp)) {
                        pending.remove(tp);
                        out.put(tp, lso.get(tp));
                    }
                }
                consumer.pause(out.keySet());
            }
            consumer.assign(Set.of()); // holds no partitions (nor fetches) between samples
        } catch (KafkaException e) {
            // Best effort: without the probe the lag is counted from the committed offset. A new consumer next time.
            log.warn("cannot look past transaction markers, lag may count them: {}", e.toString());
            close();
        }
        return out;
    }

    private KafkaConsumer<byte[], byte[]> newConsumer() {
        Map<String, Object> props = new HashMap<>(consumerProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase(Locale.ROOT));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-lag-probe");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, FETCH_BYTES);
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_BYTES);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public void close() {
        if (consumer == null) return;
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (KafkaException e) {
            log.debug("closing the lag probe: {}", e.toString());
        } finally {
            consumer = null;
        }
    }
}
