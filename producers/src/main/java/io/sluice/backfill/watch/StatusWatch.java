package io.sluice.backfill.watch;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.grpc.server.GrpcFlowGate;
import io.sluice.grpc.v1.DidState;
import io.sluice.grpc.v1.DidStatusChange;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One WatchStatus call: a consumer of its own, outside any group (it commits nothing and takes every
 * partition), reads the status topic from its start or its end and sends the statuses of one run
 * (and of the asked DIDs) to the client. Per DID the order is the topic's, since the topic is keyed
 * by DID. Flow control: while the client is not reading, the consumer is paused and not polled, so a
 * slow client holds at most one poll's records; cancelling wakes the consumer and closes it.
 * Partitions added while it runs are not read; a topic that does not exist yet is waited for.
 */
final class StatusWatch {

    private static final Logger log = LoggerFactory.getLogger(StatusWatch.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration TOPIC_WAIT = Duration.ofSeconds(1);
    private static final int MAX_POLL_RECORDS = 500;

    private final ConnectionSettings connection;
    private final Topic<String, DidStatus> topic;
    private final String runId;
    private final Set<String> dids; // empty: all of the run's
    private final boolean fromBeginning;
    private final ServerCallStreamObserver<DidStatusChange> call;
    private final AtomicInteger open;
    private final AtomicLong sent;
    private final KafkaConsumer<String, DidStatus> consumer;
    private final GrpcFlowGate gate;

    StatusWatch(ConnectionSettings connection, Topic<String, DidStatus> topic, String runId, Set<String> dids,
                boolean fromBeginning, ServerCallStreamObserver<DidStatusChange> call, AtomicInteger open,
                AtomicLong sent) {
        this.connection = connection;
        this.topic = topic;
        this.runId = runId;
        this.dids = dids;
        this.fromBeginning = fromBeginning;
        this.call = call;
        this.open = open;
        this.sent = sent;
        this.consumer = consumer();
        open.incrementAndGet();
        // Created here, on the call's thread, so that a cancel arriving before run() starts is seen;
        // wakeup is the one consumer method safe from another thread: it ends a blocking poll.
        this.gate = new GrpcFlowGate(call, consumer::wakeup);
    }

    void run() {
        try (consumer) {
            if (!assign()) return;
            while (!gate.cancelled()) {
                for (ConsumerRecord<String, DidStatus> record : poll()) {
                    if (!wanted(record.value())) continue;
                    if (!call.isReady()) {
                        consumer.pause(consumer.assignment());
                        if (!gate.awaitReady()) return;
                        consumer.resume(consumer.paused());
                    }
                    call.onNext(change(record.value()));
                    sent.incrementAndGet();
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // cancelled, or the server is stopping: nobody to answer
        } catch (KafkaException e) {
            log.warn("watching {} for run {} failed: {}", topic.name(), runId, e.toString());
            if (!gate.cancelled()) call.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asException());
        } finally {
            open.decrementAndGet();
        }
    }

    /** Takes every partition the topic has, once it exists; false when cancelled first. */
    private boolean assign() throws InterruptedException {
        List<PartitionInfo> partitions = consumer.partitionsFor(topic.name());
        while (partitions == null || partitions.isEmpty()) {
            if (gate.cancelled()) return false;
            Thread.sleep(TOPIC_WAIT.toMillis());
            partitions = consumer.partitionsFor(topic.name());
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        if (fromBeginning) consumer.seekToBeginning(assigned);
        else consumer.seekToEnd(assigned);
        // seekToEnd is lazy: fix the end now, so that a status produced right after the call started is not skipped
        assigned.forEach(consumer::position);
        return true;
    }

    /** The next records; one that does not deserialize is skipped (logged), as the records sink dead-letters it. */
    private Iterable<ConsumerRecord<String, DidStatus>> poll() {
        try {
            return consumer.poll(POLL);
        } catch (RecordDeserializationException e) {
            log.warn("skipping an unreadable status at {} offset {}: {}", e.topicPartition(), e.offset(), e.getMessage());
            consumer.seek(e.topicPartition(), e.offset() + 1);
            return List.of();
        }
    }

    private boolean wanted(DidStatus status) {
        // null: a tombstone, left by compaction
        return status != null && runId.equals(status.getRunId()) && (dids.isEmpty() || dids.contains(status.getDid()));
    }

    static DidStatusChange change(DidStatus status) {
        DidStatusChange.Builder change = DidStatusChange.newBuilder().setDid(status.getDid()).setRunId(status.getRunId())
                .setState(DidState.valueOf("DID_STATE_" + status.getState().name()))
                .setRecords(status.getRecords()).setBytes(status.getBytes()).setAttempts(status.getAttempts())
                .setUpdatedAtMillis(status.getUpdatedAt().toEpochMilli()).setDeadLettered(status.getDeadLettered());
        if (status.getPds() != null) change.setPds(status.getPds());
        if (status.getLastError() != null) change.setLastError(status.getLastError());
        if (status.getRev() != null) change.setRev(status.getRev());
        return change.build();
    }

    private KafkaConsumer<String, DidStatus> consumer() {
        Map<String, Object> props = connection.consumer();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-watch-status-" + runId);
        return new KafkaConsumer<>(props, topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }
}
