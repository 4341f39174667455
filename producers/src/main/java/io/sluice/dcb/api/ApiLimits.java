package io.sluice.dcb.api;

import io.sluice.dcb.rules.DcbLimits;

import java.util.Objects;

/**
 * The DCB API's limits on what one request may ask: the {@link DcbLimits} the decider enforces too,
 * the size of an append's body, and how many events one read returns. Immutable, validated when built.
 *
 * @param request          events, tags, query items and name lengths ({@link DcbLimits})
 * @param maxBodyBytes     bytes of a {@code POST /append} body ({@value #BODY_OPTION}); the command
 *                         producer's {@code max.request.size} must leave {@link #COMMAND_ENVELOPE_BYTES}
 *                         above it ({@link DcbApiConfig} checks)
 * @param readDefaultLimit events a read returns when its options give no limit ({@value #READ_DEFAULT_OPTION})
 * @param readMaxLimit     the largest limit a read may ask for ({@value #READ_MAX_OPTION})
 */
public record ApiLimits(DcbLimits request, int maxBodyBytes, int readDefaultLimit, int readMaxLimit) {

    public static final String BODY_OPTION = "--max-body-bytes";
    public static final String READ_DEFAULT_OPTION = "--read-default-limit";
    public static final String READ_MAX_OPTION = "--read-max-limit";

    /**
     * Room for what the command adds around the body's content: request id, idempotency key (at
     * most 255 bytes), timestamps, the Confluent header and Kafka's record and batch overhead. The
     * Avro form of an append is never larger than its JSON (no quotes, keys or commas), so body +
     * envelope bounds the record.
     */
    public static final int COMMAND_ENVELOPE_BYTES = 16 * 1024;
    /** Kafka's default {@code max.request.size} and the broker's default {@code message.max.bytes}, near enough. */
    public static final int DEFAULT_MAX_REQUEST_SIZE = 1 << 20;
    public static final int DEFAULT_MAX_BODY_BYTES = DEFAULT_MAX_REQUEST_SIZE - COMMAND_ENVELOPE_BYTES;
    private static final int MIN_BODY_BYTES = 1024;
    private static final int MAX_BODY_BYTES = 64 << 20;
    public static final int MAX_READ_LIMIT = 1_000_000;

    private static final ApiLimits DEFAULTS = new ApiLimits(DcbLimits.defaults(), DEFAULT_MAX_BODY_BYTES, 1000, 10_000);

    public ApiLimits {
        Objects.requireNonNull(request, "request");
        if (maxBodyBytes < MIN_BODY_BYTES || maxBodyBytes > MAX_BODY_BYTES) {
            throw new IllegalArgumentException(BODY_OPTION + " must be " + MIN_BODY_BYTES + ".." + MAX_BODY_BYTES + ", got "
                    + maxBodyBytes);
        }
        if (readMaxLimit < 1 || readMaxLimit > MAX_READ_LIMIT) {
            throw new IllegalArgumentException(READ_MAX_OPTION + " must be 1.." + MAX_READ_LIMIT + ", got " + readMaxLimit);
        }
        if (readDefaultLimit < 1 || readDefaultLimit > readMaxLimit) {
            throw new IllegalArgumentException(READ_DEFAULT_OPTION + " must be 1.." + READ_MAX_OPTION + " (" + readMaxLimit
                    + "), got " + readDefaultLimit);
        }
    }

    /**
     * {@link DcbLimits#defaults()}, a body of 1 MiB minus the envelope (so the command fits Kafka's
     * default 1 MiB request and message sizes), reads of 1000 events by default and 10,000 at most.
     */
    public static ApiLimits defaults() {
        return DEFAULTS;
    }

    /** The smallest producer {@code max.request.size} that takes every append this body limit lets through. */
    public int producerMaxRequestSize() {
        return maxBodyBytes + COMMAND_ENVELOPE_BYTES;
    }
}
