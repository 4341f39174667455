package io.sluice.backfill.fetch;

import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;

import java.nio.charset.StandardCharsets;

/**
 * Everything the fetcher writes, through one idempotent producer: RepoRecords and DidStatus keyed
 * by DID, FetchTasks to the retry topic and RateLimitSignals keyed by PDS host, and dead letters.
 * Values are serialized here (Avro, Confluent wire format, subjects of the configured topic names)
 * so that a record too large for the broker is refused before it can fail the producer.
 *
 * <p>Dead letters carry the original FetchTask record's key, value and headers, plus
 * {@code sluice.dlq.*} headers (the names the sinks' dead-letter queue uses) with the source topic,
 * partition and offset, the error class and message, the stage ({@code fetcher}), and
 * {@code sluice.dlq.reason} ({@link FailureReason#headerValue()}) and {@code sluice.dlq.attempts}.
 * Thread-safe.
 */
final class Outputs {

    static final String HEADER_PREFIX = "sluice.dlq.";
    static final String HEADER_TOPIC = HEADER_PREFIX + "topic";
    static final String HEADER_PARTITION = HEADER_PREFIX + "partition";
    static final String HEADER_OFFSET = HEADER_PREFIX + "offset";
    static final String HEADER_ERROR_CLASS = HEADER_PREFIX + "error.class";
    static final String HEADER_ERROR_MESSAGE = HEADER_PREFIX + "error.message";
    static final String HEADER_STAGE = HEADER_PREFIX + "stage";
    static final String HEADER_REASON = HEADER_PREFIX + "reason";
    static final String HEADER_ATTEMPTS = HEADER_PREFIX + "attempts";
    private static final int MAX_MESSAGE_CHARS = 4000;

    /** A record over {@link FetcherConfig#maxRecordBytes()}: the repository is dead-lettered. */
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
        Headers headers = new RecordHeaders();
        for (Header h : source.headers()) {
            // A task replayed from the dead-letter topic keeps one set of sluice.dlq headers: the latest.
            if (!h.key().startsWith(HEADER_PREFIX)) headers.add(h);
        }
        headers.add(HEADER_TOPIC, utf8(source.topic()));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(source.partition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(source.offset())));
        headers.add(HEADER_ERROR_CLASS, utf8(errorClass));
        headers.add(HEADER_ERROR_MESSAGE, utf8(truncate(message)));
        headers.add(HEADER_STAGE, utf8("fetcher"));
        headers.add(HEADER_REASON, utf8(reason.headerValue()));
        headers.add(HEADER_ATTEMPTS, utf8(Integer.toString(attempts)));
        // No timestamp: the dead letter is stamped now, so the DLQ's retention counts from the failure.
        send(acks, new ProducerRecord<>(names.dlq(), null, null, source.key(), source.value(), headers));
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

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
