package io.sluice.backfill.fetch;

import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** One test's copy of the fetcher's topics on the test broker, and helpers to write tasks and read outputs. */
final class FetchTopics implements AutoCloseable {

    static final int PARTITIONS = 4;

    final FetcherConfig.TopicSet names;
    final Topics topics;
    private final TestStack stack;
    private final KafkaProducer<byte[], byte[]> producer;

    FetchTopics(TestStack stack) throws ExecutionException, InterruptedException {
        this.stack = stack;
        this.names = new FetcherConfig.TopicSet(stack.unique("backfill.fetch"), stack.unique("backfill.records"),
                stack.unique("backfill.status"), stack.unique("backfill.retry"), stack.unique("backfill.ratelimit"),
                stack.unique("backfill.dlq"));
        this.topics = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        List<String> all = List.of(names.fetch(), names.records(), names.status(), names.retry(), names.signals(), names.dlq());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(all.stream().map(t -> new NewTopic(t, PARTITIONS, (short) 1)).toList()).all().get();
            for (String t : all) awaitLeaders(admin, t);
        }
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }

    FetcherConfig.Builder config() {
        return FetcherConfig.builder(stack.connection()).groupId(stack.unique("fetcher-it"))
                .topics(names).allowedPrivateHosts(java.util.Set.of("127.0.0.1")).commitInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(10));
    }

    static FetchTask task(String did, String endpoint, String host, int attempt, Instant releasedAt, Instant notAfter) {
        return FetchTask.newBuilder().setDid(did).setPdsEndpoint(endpoint).setPdsHost(host).setRunId("it")
                .setAttempt(attempt).setReleasedAt(releasedAt).setNotAfter(notAfter).build();
    }

    /** Sends tasks to the fetch topic keyed by DID; returns once all are acknowledged. */
    void sendTasks(List<FetchTask> tasks) throws Exception {
        Topic<String, FetchTask> fetch = topics.backfillFetch().withName(names.fetch());
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (FetchTask t : tasks) {
            acks.add(producer.send(new ProducerRecord<>(names.fetch(), fetch.keySerde().serializer().serialize(names.fetch(),
                    t.getDid()), fetch.valueSerde().serializer().serialize(names.fetch(), t))));
        }
        producer.flush();
        for (var a : acks) a.get();
    }

    void sendRaw(String topic, byte[] key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get();
    }

    /** Reads {@code topic} from the start until {@code done} holds for what was read, or the timeout. */
    <V> List<ConsumerRecord<String, V>> readUntil(String topic, Deserializer<V> values, Duration timeout,
                                                  Predicate<List<ConsumerRecord<String, V>>> done) {
        Deserializer<String> keys = topics.serdes().stringKey().deserializer();
        List<ConsumerRecord<String, V>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = IntStream.range(0, PARTITIONS).mapToObj(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!done.test(out) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(), r.timestampType(),
                            r.serializedKeySize(), r.serializedValueSize(),
                            r.key() == null ? null : safeKey(keys, topic, r.key()), values.deserialize(topic, r.value()),
                            r.headers(), r.leaderEpoch()));
                }
            }
        }
        return out;
    }

    /** Sums of end offsets per topic, to see that nothing more was written. */
    long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            return admin.listOffsets(IntStream.range(0, PARTITIONS).boxed().collect(Collectors.toMap(
                    p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()))).all().get().values().stream()
                    .mapToLong(i -> i.offset()).sum();
        }
    }

    private static String safeKey(Deserializer<String> keys, String topic, byte[] key) {
        try {
            return keys.deserialize(topic, key);
        } catch (RuntimeException notAvro) {
            return new String(key, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * Waits until every partition's leader answers: an idempotent producer sending right after topic
     * creation can lose its first batch (KAFKA-15591).
     */
    private static void awaitLeaders(Admin admin, String topic) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        while (true) {
            try {
                admin.listOffsets(request).all().get();
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) throw e;
                Thread.sleep(50);
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
