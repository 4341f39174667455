package io.sluice.common.dlq;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The dead-letter contract every stage follows. A stage that cannot process a record sends it to its
 * {@code <stage>.dlq} topic with the source record's key and value bytes unchanged, its timestamp, its own
 * headers, and these (UTF-8 strings):
 *
 * <table>
 *   <tr><td>{@value #TOPIC}, {@value #PARTITION}, {@value #OFFSET}</td><td>where the source record is</td></tr>
 *   <tr><td>{@value #STAGE}</td><td>who gave up on it: {@code resolver}, {@code ratelimiter}, {@code fetcher},
 *       {@code records-sink}, {@code flattener}, {@code etl-sink}, {@code decider}, {@code events-sink}</td></tr>
 *   <tr><td>{@value #REASON}</td><td>why, machine-readable ({@link DeadLetterReason}): {@value #DESERIALIZATION},
 *       {@code invalid-did}, {@code constraint-violation}, …</td></tr>
 *   <tr><td>{@value #ERROR_CLASS}, {@value #ERROR_MESSAGE}</td><td>the failure, the message cut to
 *       {@value #MAX_MESSAGE_BYTES} bytes</td></tr>
 * </table>
 *
 * A record dead-lettered again (after a replay) keeps one set of these headers: the latest. {@link #read}
 * parses them back.
 */
public final class DeadLetter {

    public static final String PREFIX = "sluice.dlq.";
    public static final String TOPIC = PREFIX + "topic";
    public static final String PARTITION = PREFIX + "partition";
    public static final String OFFSET = PREFIX + "offset";
    public static final String STAGE = PREFIX + "stage";
    public static final String REASON = PREFIX + "reason";
    public static final String ERROR_CLASS = PREFIX + "error.class";
    public static final String ERROR_MESSAGE = PREFIX + "error.message";

    /** Set by {@code sluice dlq --replay} on a record it sends back: {@code <dlq topic>-<partition>@<offset>}. */
    public static final String REPLAYED_FROM = "sluice.replayed.from";

    /** The reason every stage uses for key or value bytes it cannot decode (not the Confluent wire format, unknown schema). */
    public static final String DESERIALIZATION = "deserialization";

    /** The suffix of every dead-letter topic's name. */
    public static final String TOPIC_SUFFIX = ".dlq";

    /** Enough to read the cause; far below any broker's record size limit. */
    public static final int MAX_MESSAGE_BYTES = 4096;

    private static final String TRUNCATED = "…[truncated]";
    private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private DeadLetter() {
    }

    /** The seven headers for a record from {@code sourceTopic}-{@code partition}@{@code offset} that failed with {@code error}. */
    public static Headers headers(String stage, String reason, String sourceTopic, int partition, long offset, Throwable error) {
        Objects.requireNonNull(error, "error");
        return headers(new RecordHeaders(), stage, reason, sourceTopic, partition, offset, error.getClass().getName(),
                messageOf(error));
    }

    /**
     * {@code original} (the source record's headers, earlier {@code sluice.dlq.*} ones left out) plus the seven
     * headers; {@code original} itself is not changed.
     */
    public static Headers headers(Headers original, String stage, String reason, String sourceTopic, int partition,
                                  long offset, Throwable error) {
        Objects.requireNonNull(error, "error");
        return headers(original, stage, reason, sourceTopic, partition, offset, error.getClass().getName(),
                messageOf(error));
    }

    /** As {@link #headers(Headers, String, String, String, int, long, Throwable)}, for a failure that is no exception. */
    public static Headers headers(Headers original, String stage, String reason, String sourceTopic, int partition,
                                  long offset, String errorClass, String errorMessage) {
        requireCode(stage, "stage");
        requireCode(reason, "reason");
        if (sourceTopic == null || sourceTopic.isBlank()) throw new IllegalArgumentException("sourceTopic must be set");
        if (errorClass == null || errorClass.isBlank()) throw new IllegalArgumentException("errorClass must be set");
        RecordHeaders headers = new RecordHeaders();
        if (original != null) {
            for (Header h : original) {
                if (!h.key().startsWith(PREFIX)) headers.add(h);
            }
        }
        return headers.add(TOPIC, utf8(sourceTopic))
                .add(PARTITION, utf8(Integer.toString(partition)))
                .add(OFFSET, utf8(Long.toString(offset)))
                .add(STAGE, utf8(stage))
                .add(REASON, utf8(reason))
                .add(ERROR_CLASS, utf8(errorClass))
                .add(ERROR_MESSAGE, utf8(truncate(errorMessage == null ? "" : errorMessage)));
    }

    /** The dead letter of a consumed record: its key, value, timestamp and headers, plus the seven headers. */
    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, ConsumerRecord<byte[], byte[]> source,
                                                        String stage, String reason, Throwable error) {
        return record(dlqTopic, source, headers(source.headers(), stage, reason, source.topic(), source.partition(),
                source.offset(), error));
    }

    /** The dead letter of a consumed record with headers already built. */
    public static ProducerRecord<byte[], byte[]> record(String dlqTopic, ConsumerRecord<byte[], byte[]> source,
                                                        Headers headers) {
        return new ProducerRecord<>(dlqTopic, null, timestamp(source.timestamp()), source.key(), source.value(), headers);
    }

    /** A record timestamp as a producer takes it: none ({@code null}, stamped when sent) for a record without one. */
    public static Long timestamp(long timestamp) {
        return timestamp < 0 ? null : timestamp;
    }

    /** Parses the headers back; throws naming the header that is missing or malformed. */
    public static DeadLetterHeaders read(Headers headers) {
        return new DeadLetterHeaders(required(headers, TOPIC), number(headers, PARTITION, Integer::parseInt),
                number(headers, OFFSET, Long::parseLong), required(headers, STAGE), required(headers, REASON),
                required(headers, ERROR_CLASS), required(headers, ERROR_MESSAGE));
    }

    /** Whether {@code headers} carry the whole contract (all seven headers, well-formed). */
    public static boolean isDeadLetter(Headers headers) {
        try {
            read(headers);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The message of {@code error}, or its class name when it has none. */
    static String messageOf(Throwable error) {
        return error.getMessage() != null ? error.getMessage() : error.getClass().getName();
    }

    /** {@code message} cut to at most {@value #MAX_MESSAGE_BYTES} UTF-8 bytes, on a character boundary, marked when cut. */
    static String truncate(String message) {
        byte[] bytes = utf8(message);
        if (bytes.length <= MAX_MESSAGE_BYTES) return message;
        int budget = MAX_MESSAGE_BYTES - utf8(TRUNCATED).length;
        int end = 0;
        int used = 0;
        while (end < message.length()) {
            int cp = message.codePointAt(end);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + size > budget) break;
            used += size;
            end += Character.charCount(cp);
        }
        return message.substring(0, end) + TRUNCATED;
    }

    /**
     * Checks a stage name or reason code (lower-case words joined by dashes) so a component can refuse a bad one
     * at start-up rather than at its first dead letter; returns it.
     */
    public static String requireCode(String value, String name) {
        if (value == null || !CODE.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be lower-case words joined by dashes, got " + value);
        }
        return value;
    }

    private static String required(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        if (h == null || h.value() == null) throw new IllegalArgumentException("dead-letter header " + name + " is missing");
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static <T> T number(Headers headers, String name, Function<String, T> parse) {
        String value = required(headers, name);
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dead-letter header " + name + " is not a number: " + value, e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
