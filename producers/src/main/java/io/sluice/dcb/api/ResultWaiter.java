package io.sluice.dcb.api;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands the decider's answers to the requests waiting for them: one read_committed consumer on
 * dcb.results (no group: it starts at the end when the API starts, since only requests sent from
 * then on wait) dispatching each {@link AppendResult} to the future registered under its request
 * id. Before completing any future of a poll it raises {@link ReadFence#acknowledged} to the
 * poll's highest appended position, so a client that sees its append acknowledged can read it.
 * With one dcb.results partition, results arrive in the order the decider decided them, so a
 * "condition failed" answer is never seen before the append that made it fail.
 * Results for requests nobody waits for (other API instances, timed-out requests) are skipped.
 */
public final class ResultWaiter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ResultWaiter.class);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Deserializer<AppendResult> values;
    private final ReadFence fence;
    private final Map<String, CompletableFuture<AppendResult>> waiting = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private ResultWaiter(KafkaConsumer<byte[], byte[]> consumer, Deserializer<AppendResult> values, ReadFence fence) {
        this.consumer = consumer;
        this.values = values;
        this.fence = fence;
        this.thread = new Thread(this::run, "sluice-dcb-results");
        this.thread.setDaemon(true);
    }

    /** Positions the consumer at the end of every results partition, then starts dispatching. */
    public static ResultWaiter start(ConnectionSettings connection, String resultsTopic, Deserializer<AppendResult> values,
                                     ReadFence fence) {
        Map<String, Object> props = connection.consumer();
        props.putAll(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, "sluice-dcb-api-results",
                // Answers are waited for: hand over whatever is there at once.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = consumer.partitionsFor(resultsTopic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(resultsTopic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // Resolve the end now: a result committed after start() returns must not be skipped.
            for (TopicPartition tp : partitions) consumer.position(tp, Duration.ofSeconds(30));
        } catch (KafkaException e) {
            consumer.close();
            throw e;
        }
        ResultWaiter waiter = new ResultWaiter(consumer, values, fence);
        waiter.thread.start();
        return waiter;
    }

    /** Registers interest in the answer to {@code requestId}; call before sending the command. */
    public CompletableFuture<AppendResult> expect(String requestId) {
        CompletableFuture<AppendResult> future = new CompletableFuture<>();
        if (waiting.putIfAbsent(requestId, future) != null) {
            throw new IllegalStateException("request id " + requestId + " is already waiting");
        }
        return future;
    }

    /** Stops waiting for {@code requestId} (the request timed out or its send failed). */
    public void forget(String requestId) {
        waiting.remove(requestId);
    }

    /** How many requests are waiting for an answer. */
    public int waitingCount() {
        return waiting.size();
    }

    private void run() {
        try {
            while (!closed) dispatch(consumer.poll(Duration.ofMillis(500)));
        } catch (WakeupException e) {
            if (!closed) throw e;
        } catch (KafkaException e) {
            log.error("the dcb results consumer failed: appends will time out", e);
        } finally {
            consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
            failAll(new IllegalStateException("the DCB API is stopping"));
        }
    }

    private void dispatch(ConsumerRecords<byte[], byte[]> records) {
        if (records.isEmpty()) return;
        List<AppendResult> results = new ArrayList<>(records.count());
        long highest = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            AppendResult result = decode(r);
            if (result == null) continue;
            results.add(result);
            if (result.getOutcome() == AppendOutcome.APPENDED && result.getLastPosition() != null) {
                highest = Math.max(highest, result.getLastPosition());
            }
        }
        // First the fence, then the answers: an acknowledged append must be readable.
        fence.acknowledged(highest);
        for (AppendResult result : results) {
            CompletableFuture<AppendResult> future = waiting.remove(result.getRequestId());
            if (future != null) future.complete(result);
        }
    }

    private AppendResult decode(ConsumerRecord<byte[], byte[]> r) {
        if (r.value() == null) return null;
        try {
            return values.deserialize(r.topic(), r.headers(), r.value());
        } catch (KafkaException e) {
            // Not an answer anyone can wait for; the decider writes these, so this is a bug or a foreign writer.
            log.warn("skipping unreadable result {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
            return null;
        }
    }

    private void failAll(RuntimeException reason) {
        for (String id : List.copyOf(waiting.keySet())) {
            CompletableFuture<AppendResult> future = waiting.remove(id);
            if (future != null) future.completeExceptionally(reason);
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
