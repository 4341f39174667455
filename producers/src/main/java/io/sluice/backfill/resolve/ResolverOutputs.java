package io.sluice.backfill.resolve;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.backfill.ResolvedDid;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serializer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * What the resolver writes for one DidWorkItem. Resolved: a {@link ResolvedDid} to the resolved topic,
 * keyed by the PDS's {@link PdsEndpoint#url() normal form}, and a {@link DidStatus} RESOLVED to the
 * status topic, keyed by DID. Failed: the consumed record as it was (key, value, timestamp, headers)
 * to the DLQ with the {@link DeadLetter} headers (stage {@value #STAGE}, the {@link FailureReason#code()
 * reason code}), and a DidStatus FAILED whose {@code last_error} is {@code <reason code>: <message>}
 * (no status when the record could not even be read).
 */
final class ResolverOutputs implements AutoCloseable {

    static final String STAGE = "resolver";
    private static final int MAX_MESSAGE_CHARS = 4000;

    private final ResolverConfig config;
    private final Producer<byte[], byte[]> producer;
    private final Serializer<String> keys;
    private final Serializer<ResolvedDid> resolvedValues;
    private final Serializer<DidStatus> statusValues;
    private final Clock clock;

    ResolverOutputs(ResolverConfig config, Producer<byte[], byte[]> producer, Serializer<String> keys,
                    Serializer<ResolvedDid> resolvedValues, Serializer<DidStatus> statusValues, Clock clock) {
        this.config = config;
        this.producer = producer;
        this.keys = keys;
        this.resolvedValues = resolvedValues;
        this.statusValues = statusValues;
        this.clock = clock;
    }

    List<Future<RecordMetadata>> resolved(DidWorkItem item, PdsEndpoint pds) {
        Instant now = clock.instant();
        ResolvedDid resolved = new ResolvedDid(item.getDid(), pds.url(), pds.url(), item.getRunId(), now);
        DidStatus status = new DidStatus(item.getDid(), pds.url(), DidState.RESOLVED, 0L, 0L, 0, null, now, item.getRunId(), 0L, null);
        return List.of(
                send(config.resolvedTopic(), pds.url(), resolvedValues.serialize(config.resolvedTopic(), resolved)),
                send(config.statusTopic(), item.getDid(), statusValues.serialize(config.statusTopic(), status)));
    }

    /**
     * @param item       the decoded record, or null when it could not be decoded
     * @param errorClass the class of the failure, for the DLQ header
     */
    List<Future<RecordMetadata>> failed(ConsumerRecord<byte[], byte[]> raw, DidWorkItem item, FailureReason reason,
                                        String errorClass, String message) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(2);
        sent.add(producer.send(DeadLetter.record(config.dlqTopic(), raw, DeadLetter.headers(raw.headers(), STAGE,
                reason.code(), raw.topic(), raw.partition(), raw.offset(), errorClass, message))));
        if (item != null) {
            DidStatus status = new DidStatus(item.getDid(), null, DidState.FAILED, 0L, 0L, 0,
                    truncate(reason.code() + ": " + message), clock.instant(), item.getRunId(), 0L, null);
            sent.add(send(config.statusTopic(), item.getDid(), statusValues.serialize(config.statusTopic(), status)));
        }
        return sent;
    }

    private Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, keys.serialize(topic, key), value));
    }

    private static String truncate(String s) {
        return s.length() > MAX_MESSAGE_CHARS ? s.substring(0, MAX_MESSAGE_CHARS) : s;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
