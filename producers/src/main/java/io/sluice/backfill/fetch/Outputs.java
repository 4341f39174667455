package io.sluice.backfill.fetch;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/**
 * Everything the fetcher writes, through one idempotent producer: RepoRecords and DidStatus keyed
 * by DID, FetchTasks to the retry topic and RateLimitSignals keyed by PDS host, and dead letters.
 * Values are serialized here (Avro, Confluent wire format, subjects of the configured topic names)
 * so that a record too large for the broker is refused before it can fail the producer.
 *
 * <p>Dead letters carry the original FetchTask record's key, value, timestamp and headers, plus the
 * {@link DeadLetter} headers (stage {@value #STAGE}, reason {@link FailureReason#code()}) and
 * {@value #HEADER_ATTEMPTS}; the dead letter of one record also names it: {@value #HEADER_COLLECTION},
 * {@value #HEADER_RKEY}, {@value #HEADER_CID}. Its value stays the FetchTask, so a replay fetches the
 * repository again (after the limit that refused the record was raised, say).
 * Thread-safe.
 */
final class Outputs {

    static final String STAGE = "fetcher";
    /** The attempts made before the task was given up, beside the contract's headers. */
    static final String HEADER_ATTEMPTS = DeadLetter.PREFIX + "attempts";
    /** The record a per-record dead letter is about. */
    static final String HEADER_COLLECTION = DeadLetter.PREFIX + "collection";
    static final String HEADER_RKEY = DeadLetter.PREFIX + "rkey";
    static final String HEADER_CID = DeadLetter.PREFIX + "cid";
    private static final int MAX_MESSAGE_CHARS = 4000;

    /** A record over {@link FetcherConfig#maxRecordBytes()}: nothing was sent; the record is dead-lettered alone. */
    static final class RecordTooLargeException extends RuntimeException {
        RecordTooLargeException(String message) {
            super(message);
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final FetcherConfig.TopicSet names;
    private final int maxRecordBytes;
    private final Serializer<String> keys;
    private final Serializer<RepoRecord> records;
    private final Serializer<DidStatus> statuses;
    private final Serializer<FetchTask> tasks;
    private final Serializer<RateLimitSignal> signals;

    Outputs(Producer<byte[], byte[]> producer, Topics topics, FetcherConfig.TopicSet names, int maxRecordBytes) {
        this.producer = producer;
        this.names = names;
        this.maxRecordBytes = maxRecordBytes;
        this.keys = topics.serdes().stringKey().serializer();
        this.records = topics.backfillRecords().valueSerde().serializer();
        this.statuses = topics.backfillStatus().valueSerde().serializer();
        this.tasks = topics.backfillRetry().valueSerde().serializer();
        this.signals = topics.backfillRateLimit().valueSerde().serializer();
    }

    /** The serialized record key of {@code did}: computed once per repository, not once per record. */
    byte[] recordKey(String did) {
        return keys.serialize(names.records(), did);
    }

    /** One record; {@code key} is {@link #recordKey} of its DID. */
    void record(TaskAcks acks, byte[] key, RepoRecord record) {
        byte[] value = records.serialize(names.records(), record);
        if (value.length > maxRecordBytes) {
            throw new RecordTooLargeException("record " + record.getCollection() + "/" + record.getRkey() + " is "
                    + value.length + " bytes serialized, over maxRecordBytes=" + maxRecordBytes);
        }
        send(acks, new ProducerRecord<>(names.records(), key, value));
    }

    void status(TaskAcks acks, DidStatus status) {
        send(acks, new ProducerRecord<>(names.status(), keys.serialize(names.status(), status.getDid()),
                statuses.serialize(names.status(), status)));
    }

    /** The task back to the rate limiter, keyed by its PDS host like backfill.resolved. */
    void retry(TaskAcks acks, FetchTask task) {
        send(acks, new ProducerRecord<>(names.retry(), keys.serialize(names.retry(), task.getPdsHost()),
                tasks.serialize(names.retry(), task)));
    }

    void signal(TaskAcks acks, RateLimitSignal signal) {
        send(acks, new ProducerRecord<>(names.signals(), keys.serialize(names.signals(), signal.getPdsHost()),
                signals.serialize(names.signals(), signal)));
    }

    void deadLetter(TaskAcks acks, ConsumerRecord<byte[], byte[]> source, FailureReason reason, String message,
                    String errorClass, int attempts) {
        send(acks, DeadLetter.record(names.dlq(), source, headers(source, reason, message, errorClass, attempts)));
    }

    /** The dead letter of one record of the repository {@code source} asked for. */
    void recordDeadLetter(TaskAcks acks, ConsumerRecord<byte[], byte[]> source, FailureReason reason, String message,
                          String errorClass, int attempts, String collection, String rkey, String cid) {
        Headers headers = headers(source, reason, message, errorClass, attempts);
        headers.add(HEADER_COLLECTION, collection.getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_RKEY, rkey.getBytes(StandardCharsets.UTF_8));
        headers.add(HEADER_CID, cid.getBytes(StandardCharsets.UTF_8));
        send(acks, DeadLetter.record(names.dlq(), source, headers));
    }

    private static Headers headers(ConsumerRecord<byte[], byte[]> source, FailureReason reason, String message,
                                   String errorClass, int attempts) {
        Headers headers = DeadLetter.headers(source.headers(), STAGE, reason.code(), source.topic(), source.partition(),
                source.offset(), errorClass, message);
        headers.add(HEADER_ATTEMPTS, Integer.toString(attempts).getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    static String truncate(String message) {
        return message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message;
    }

    private void send(TaskAcks acks, ProducerRecord<byte[], byte[]> record) {
        var callback = acks.callback();
        try {
            producer.send(record, callback);
        } catch (RuntimeException e) {
            acks.sendFailed(e);
            throw e;
        }
    }
}
