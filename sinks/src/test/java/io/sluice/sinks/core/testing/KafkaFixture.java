package io.sluice.sinks.core.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Test helpers on the test broker: topics, String records, offsets as tools see them. */
public final class KafkaFixture implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;
    private final KafkaProducer<String, String> producer;

    public KafkaFixture(String bootstrap) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    /**
     * Creates the topics and waits until every partition's leader serves it. Producing earlier can lose
     * an idempotent producer's first batch without an error the producer reports in time (KAFKA-15591:
     * NOT_LEADER on the first request, a later one appended, every retry then OUT_OF_ORDER_SEQUENCE).
     * ListOffsets is answered by the leader's replica manager, so its success means the partition is live.
     */
    public void createTopics(int partitions, String... topics) throws ExecutionException, InterruptedException {
        admin.createTopics(Arrays.stream(topics).map(t -> new NewTopic(t, partitions, (short) 1)).toList()).all().get();
        for (String topic : topics) awaitLeaders(topic, partitions);
    }

    private void awaitLeaders(String topic, int partitions) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                endOffsets(topic, partitions);
                return;
            } catch (ExecutionException e) {
                // Admin does not retry a topic its metadata does not know yet.
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    /** Sends records {@code from..to-1}, keyed by the decimal id, values from {@code value}; fails unless all are acked. */
    public void produce(String topic, int from, int to, IntFunction<String> value) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) acks.add(producer.send(new ProducerRecord<>(topic, Integer.toString(i), value.apply(i))));
        producer.flush();
        try {
            for (Future<RecordMetadata> ack : acks) ack.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("producing to " + topic + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Map<TopicPartition, Long> endOffsets(String topic, int partitions) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> request = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }

    /** The group's committed offsets, as kafka-consumer-groups shows them. */
    public Map<TopicPartition, Long> committedOffsets(String groupId) throws ExecutionException, InterruptedException {
        Map<TopicPartition, Long> committed = new HashMap<>();
        admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get()
                .forEach((tp, om) -> { if (om != null) committed.put(tp, om.offset()); });
        return committed;
    }

    public void setCommittedOffsets(String groupId, Map<TopicPartition, Long> offsets)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        offsets.forEach((tp, o) -> request.put(tp, new OffsetAndMetadata(o)));
        admin.alterConsumerGroupOffsets(groupId, request).all().get();
    }

    /** Reads a topic from the beginning until {@code expected} records arrived or the timeout passed. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // A little longer, to catch records beyond the expected count (duplicates).
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
