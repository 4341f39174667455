package io.sluice.ops.testing;

import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A member of a consumer group on its own thread that commits after every poll; {@link #pause()} stops
 * it consuming while it stays a member (it keeps polling, so the broker keeps it in the group).
 */
public final class GroupMember implements AutoCloseable {

    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;
    private volatile RuntimeException failure;

    public GroupMember(TestStack stack, String group, String topic) {
        thread = Thread.ofPlatform().daemon().name("member-" + group).start(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(topic));
                while (!stop.get()) {
                    if (paused.get()) consumer.pause(consumer.assignment());
                    consumer.poll(Duration.ofMillis(100));
                    if (!paused.get()) consumer.commitSync();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        });
    }

    public void pause() {
        paused.set(true);
    }

    public void assertRunning() {
        if (failure != null) throw new AssertionError("the consumer failed", failure);
    }

    /** Leaves the group (the consumer closes, so the broker forgets the member at once). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        thread.join(10_000);
    }
}
