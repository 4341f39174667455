package io.sluice.ops.testing;

import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only stage that cannot get past a poison record, as the flattener of issue 16 could not: it
 * commits every record before the first value {@code poison} of a partition, then seeks back to it
 * and retries it forever. It stays a member (it keeps polling) and it keeps committing, but its
 * committed offset on that partition never moves again.
 */
public final class PoisonedMember implements AutoCloseable {

    public static final String POISON = "poison";

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong attempts = new AtomicLong();
    private final Thread thread;
    private volatile RuntimeException failure;

    public PoisonedMember(TestStack stack, String group, String topic) {
        thread = Thread.ofPlatform().daemon().name("poisoned-" + group).start(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!stop.get()) {
                    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                        if (done.containsKey(tp) && done.get(tp).offset() <= r.offset() && isStuck(done.get(tp))) continue;
                        if (POISON.equals(r.value())) {
                            attempts.incrementAndGet();
                            consumer.seek(tp, r.offset()); // retry it, like a Streams thread that dies on it
                            done.put(tp, new OffsetAndMetadata(r.offset(), "stuck"));
                        } else {
                            done.put(tp, new OffsetAndMetadata(r.offset() + 1));
                        }
                    }
                    if (!done.isEmpty()) consumer.commitSync(done);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        });
    }

    private static boolean isStuck(OffsetAndMetadata om) {
        return "stuck".equals(om.metadata());
    }

    /** How often it has tried the poison record so far. */
    public long attempts() {
        return attempts.get();
    }

    public void assertRunning() {
        if (failure != null) throw new AssertionError("the poisoned consumer failed", failure);
    }

    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(10_000);
    }
}
