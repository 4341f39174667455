package io.sluice.backfill.resolve;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.backfill.ResolvedDid;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * What the resolver writes for one DidWorkItem. Resolved: a {@link ResolvedDid} to the resolved topic,
 * keyed by the PDS's {@link PdsEndpoint#url() normal form}, and a {@link DidStatus} RESOLVED to the
 * status topic, keyed by DID. Failed: the consumed record as it was (key, value, headers) to the DLQ
 * with {@code sluice.dlq.*} headers, and a DidStatus FAILED whose {@code last_error} is
 * {@code <reason code>: <message>} (no status when the record could not even be read).
 *
 * <p>The DLQ headers are the sink core's ({@code topic, partition, offset, error.class, error.message,
 * stage}) plus {@value #HEADER_REASON}, the {@link FailureReason#code() reason code}.
 */
final class ResolverOutputs implements AutoCloseable {

    static final String HEADER_PREFIX = "sluice.dlq.";
    static final String HEADER_REASON = HEADER_PREFIX + "reason";
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
        DidStatus status = new DidStatus(item.getDid(), pds.url(), DidState.RESOLVED, 0L, 0L, 0, null, now, item.getRunId());
        return List.of(
                send(config.resolvedTopic(), pds.url(), resolvedValues.serialize(config.resolvedTopic(), resolved)),
                send(config.statusTopic(), item.getDid(), statusValues.serialize(config.statusTopic(), status)));
    }

    /** @param item the decoded record, or null when it could not be decoded */
    List<Future<RecordMetadata>> failed(ConsumerRecord<byte[], byte[]> raw, DidWorkItem item, FailureReason reason,
                                        String message) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(2);
        sent.add(producer.send(new ProducerRecord<>(config.dlqTopic(), null, null, raw.key(), raw.value(),
                dlqHeaders(raw, reason, message))));
        if (item != null) {
            DidStatus status = new DidStatus(item.getDid(), null, DidState.FAILED, 0L, 0L, 0,
                    truncate(reason.code() + ": " + message), clock.instant(), item.getRunId());
            sent.add(send(config.statusTopic(), item.getDid(), statusValues.serialize(config.statusTopic(), status)));
        }
        return sent;
    }

    private Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return producer.send(new ProducerRecord<>(topic, keys.serialize(topic, key), value));
    }

    private static Headers dlqHeaders(ConsumerRecord<byte[], byte[]> raw, FailureReason reason, String message) {
        Headers headers = new RecordHeaders();
        for (Header h : raw.headers()) {
            // A record replayed from the DLQ keeps one set of sluice.dlq headers: the latest.
            if (!h.key().startsWith(HEADER_PREFIX)) headers.add(h);
        }
        headers.add(HEADER_PREFIX + "topic", utf8(raw.topic()));
        headers.add(HEADER_PREFIX + "partition", utf8(Integer.toString(raw.partition())));
        headers.add(HEADER_PREFIX + "offset", utf8(Long.toString(raw.offset())));
        headers.add(HEADER_PREFIX + "error.class", utf8(ResolutionException.class.getName()));
        headers.add(HEADER_PREFIX + "error.message", utf8(truncate(message)));
        headers.add(HEADER_PREFIX + "stage", utf8(STAGE));
        headers.add(HEADER_REASON, utf8(reason.code()));
        return headers;
    }

    private static String truncate(String s) {
        return s.length() > MAX_MESSAGE_CHARS ? s.substring(0, MAX_MESSAGE_CHARS) : s;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
