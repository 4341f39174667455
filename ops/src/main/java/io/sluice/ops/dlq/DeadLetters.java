package io.sluice.ops.dlq;

import io.sluice.common.dlq.DeadLetter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Reads and replays dead-letter topics (every topic whose name ends in {@value DeadLetter#TOPIC_SUFFIX}).
 * Each topic is read from its start to its end as of the call (committed records only: the Streams stages
 * write their dead letters in transactions), at most {@code maxRecords} entries per topic. A replay sends
 * an entry's key and value bytes and its own headers (without the {@code sluice.dlq.*} ones) to its source
 * topic, with {@value DeadLetter#REPLAYED_FROM} naming the entry; the broker stamps it anew and the
 * default partitioner places it by key, as the original producer did. Nothing is committed: reading a DLQ
 * does not consume it.
 */
public final class DeadLetters {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> clientProperties;

    /** @param clientProperties the Kafka client settings every client starts from (bootstrap, security) */
    public DeadLetters(Map<String, Object> clientProperties) {
        if (!clientProperties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("clientProperties must name " + ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
        }
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /** The dead-letter topics, sorted; just {@code only} when given, which must exist. */
    public List<String> topics(Optional<String> only) {
        try (Admin admin = Admin.create(clientProperties)) {
            Set<String> names = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (only.isPresent()) {
                if (!names.contains(only.get())) throw new DlqException("topic " + only.get() + " does not exist");
                return List.of(only.get());
            }
            return names.stream().filter(n -> n.endsWith(DeadLetter.TOPIC_SUFFIX)).sorted().toList();
        } catch (ExecutionException | TimeoutException e) {
            throw new DlqException("could not list the topics: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DlqException("interrupted while listing the topics", e);
        }
    }

    /** Per dead-letter topic, the entries per stage and reason; only those {@code selection} matches are counted. */
    public List<DlqSummary> summarize(DlqSelection selection, long maxRecords) {
        List<DlqSummary> summaries = new ArrayList<>();
        for (String topic : topics(selection.topic())) {
            Map<List<String>, Long> counts = new HashMap<>();
            long[] read = {0};
            boolean truncated = read(topic, maxRecords, e -> {
                read[0]++;
                if (selection.matches(e)) counts.merge(List.of(e.stage(), e.reason()), 1L, Long::sum);
            });
            List<DlqSummary.Count> list = counts.entrySet().stream()
                    .map(c -> new DlqSummary.Count(c.getKey().get(0), c.getKey().get(1), c.getValue()))
                    .sorted(Comparator.comparingLong(DlqSummary.Count::entries).reversed()
                            .thenComparing(DlqSummary.Count::stage).thenComparing(DlqSummary.Count::reason))
                    .toList();
            summaries.add(new DlqSummary(topic, read[0], truncated, list));
        }
        return summaries;
    }

    /** The last {@code n} selected entries of each dead-letter topic, in partition and offset order. */
    public List<DlqEntry> last(DlqSelection selection, int n, long maxRecords) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        List<DlqEntry> shown = new ArrayList<>();
        for (String topic : topics(selection.topic())) {
            Deque<DlqEntry> tail = new ArrayDeque<>(n);
            read(topic, maxRecords, e -> {
                if (!selection.matches(e)) return;
                if (tail.size() == n) tail.removeFirst();
                tail.addLast(e);
            });
            shown.addAll(tail);
        }
        return shown;
    }

    /** Every selected entry, in topic, partition and offset order. */
    public List<DlqEntry> select(DlqSelection selection, long maxRecords) {
        List<DlqEntry> selected = new ArrayList<>();
        for (String topic : topics(selection.topic())) {
            read(topic, maxRecords, e -> {
                if (selection.matches(e)) selected.add(e);
            });
        }
        return selected;
    }

    /**
     * Sends {@code entries} back to their source topics, or with {@code dryRun} only says where they would go.
     *
     * @throws DlqException naming an entry without the dead-letter headers (no source topic to send it to), before
     *                      anything is sent, or a send that failed (the entries before it were sent)
     */
    public List<DlqReplay> replay(List<DlqEntry> entries, boolean dryRun) {
        for (DlqEntry e : entries) {
            if (e.deadLetter().isEmpty()) {
                throw new DlqException(e.position() + " has no " + DeadLetter.TOPIC + " header, so no source topic to "
                        + "replay it to; narrow the selection (--stage, --reason, --offset) to leave it out");
            }
        }
        if (dryRun) {
            return entries.stream().map(e -> new DlqReplay(e, e.deadLetter().orElseThrow().sourceTopic(),
                    OptionalInt.empty(), OptionalLong.empty())).toList();
        }
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sluice-dlq-replay");
        List<DlqReplay> sent = new ArrayList<>(entries.size());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
            for (DlqEntry e : entries) acks.add(producer.send(replayRecord(e)));
            for (int i = 0; i < entries.size(); i++) {
                DlqEntry e = entries.get(i);
                RecordMetadata m = await(acks.get(i), e);
                sent.add(new DlqReplay(e, m.topic(), OptionalInt.of(m.partition()), OptionalLong.of(m.offset())));
            }
        }
        return sent;
    }

    static ProducerRecord<byte[], byte[]> replayRecord(DlqEntry e) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : e.headers()) {
            if (!h.key().startsWith(DeadLetter.PREFIX) && !h.key().equals(DeadLetter.REPLAYED_FROM)) headers.add(h);
        }
        headers.add(DeadLetter.REPLAYED_FROM, e.position().getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(e.deadLetter().orElseThrow().sourceTopic(), null, null, e.key(), e.value(), headers);
    }

    private static RecordMetadata await(Future<RecordMetadata> ack, DlqEntry e) {
        try {
            return ack.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException ex) {
            Throwable cause = ex instanceof ExecutionException ? ex.getCause() : ex;
            throw new DlqException("could not replay " + e.position() + ": " + cause, cause);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new DlqException("interrupted while replaying " + e.position(), ex);
        }
    }

    /** Reads {@code topic} from its start to its end as of now, at most {@code maxRecords}; true when cut short. */
    private boolean read(String topic, long maxRecords, Consumer<DlqEntry> visitor) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-dlq");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = partitions(consumer, topic);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
            long read = 0;
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!reachedEnd(consumer, ends)) {
                boolean progressed = false;
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    progressed = true;
                    if (r.offset() >= ends.get(new TopicPartition(r.topic(), r.partition()))) continue;
                    if (read == maxRecords) return true;
                    visitor.accept(DlqEntry.of(r));
                    read++;
                }
                if (progressed) deadline = System.nanoTime() + TIMEOUT.toNanos();
                else if (System.nanoTime() > deadline) {
                    throw new DlqException("reading " + topic + " made no progress for " + TIMEOUT.toSeconds() + " s");
                }
            }
            return false;
        } catch (KafkaException e) {
            throw new DlqException("could not read " + topic + ": " + e.getMessage(), e);
        }
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        var infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) throw new DlqException("topic " + topic + " has no partitions");
        return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey(), TIMEOUT) < end.getValue()) return false;
        }
        return true;
    }
}
