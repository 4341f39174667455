package io.sluice.backfill.fetch;

import io.sluice.schemas.backfill.FetchTask;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/**
 * Plays the rate limiter for the fetcher tests: every task on the retry topic is released again on
 * the fetch topic (keyed by DID, fresh released_at and not_after), except those of DIDs it is told
 * to hold back. Keeps what it saw, for assertions.
 */
final class EchoLimiter implements AutoCloseable {

    final List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
    final List<FetchTask> tasks = new CopyOnWriteArrayList<>();
    private final FetchTopics topics;
    private final Set<String> holdBack;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;

    EchoLimiter(FetchTopics topics, String bootstrap, Set<String> holdBack) {
        this.topics = topics;
        this.holdBack = holdBack;
        this.consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.thread = new Thread(this::loop, "echo-limiter");
        thread.start();
    }

    private void loop() {
        String retry = topics.names.retry();
        Deserializer<FetchTask> in = topics.topics.backfillRetry().valueSerde().deserializer();
        Serializer<FetchTask> out = topics.topics.backfillFetch().valueSerde().serializer();
        Serializer<String> keys = topics.topics.serdes().stringKey().serializer();
        consumer.assign(IntStream.range(0, FetchTopics.PARTITIONS).mapToObj(p -> new TopicPartition(retry, p)).toList());
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    seen.add(r);
                    FetchTask task = in.deserialize(retry, r.value());
                    tasks.add(task);
                    if (holdBack.contains(task.getDid())) continue;
                    // The real limiter pauses a throttled host until its reset; echoing a 429'd task at once
                    // would let one 300 ms storm use up all of a DID's attempts. Back off per attempt instead.
                    Instant now = Instant.now();
                    long delay = Math.min(50L * task.getAttempt(), 1000);
                    FetchTask again = FetchTask.newBuilder(task).setReleasedAt(now.plusMillis(delay))
                            .setNotAfter(now.plusSeconds(60)).build();
                    String fetch = topics.names.fetch();
                    producer.send(new ProducerRecord<>(fetch, keys.serialize(fetch, again.getDid()), out.serialize(fetch, again)));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        thread.join();
        producer.close();
    }
}
