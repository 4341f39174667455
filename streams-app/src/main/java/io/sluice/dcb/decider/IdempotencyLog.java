package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Idempotency key → the outcome of the first command that used it, in the {@code dcb-idempotency}
 * store, so a retried append is decided at most once. The value also holds a fingerprint of the
 * command, so a key reused for a different append can be told apart from a retry.
 * <pre>  fingerprint(8) outcome(1) first(8) last(8) decided-at-ms(8) error-len(4, -1: none) error-utf8</pre>
 * A hand-rolled layout rather than Avro: the store must not depend on the registry.
 *
 * <p>TODO(retention): entries are kept forever; a time-based purge (a punctuator walking the
 * store) is needed before keys are used at high volume for months.
 */
final class IdempotencyLog {

    /** A remembered decision. Positions are 0 unless the outcome is APPENDED. */
    record Remembered(long fingerprint, AppendOutcome outcome, long firstPosition, long lastPosition, String error,
                      long decidedAtMillis) {

        /** The remembered result, answering the retry {@code requestId}. */
        AppendResult replay(String requestId) {
            boolean appended = outcome == AppendOutcome.APPENDED;
            return new AppendResult(requestId, outcome, appended ? firstPosition : null, appended ? lastPosition : null,
                    error, Instant.ofEpochMilli(decidedAtMillis));
        }
    }

    private final KeyValueStore<String, byte[]> store;

    IdempotencyLog(KeyValueStore<String, byte[]> store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    Optional<Remembered> get(String key) {
        byte[] value = store.get(key);
        return value == null ? Optional.empty() : Optional.of(decode(value));
    }

    void remember(String key, long fingerprint, AppendResult result) {
        store.put(key, encode(fingerprint, result));
    }

    /** The APPENDED result of the command with this request id, if it appended. */
    Optional<Remembered> appendedBy(String requestId) {
        return get(requestKey(requestId));
    }

    /**
     * Remembers that the command {@code result.request_id} appended, so a re-read of it appends
     * nothing. Only appends are remembered by request id: one entry per append, which the log
     * itself can give back after a reset.
     */
    void rememberAppended(String requestId, AppendResult result) {
        store.put(requestKey(requestId), encode(0, result));
    }

    // Request ids share the store with idempotency keys under a prefix no key can carry: the API
    // takes visible ASCII only and CommandValidation refuses a key starting with U+0000.
    static final String REQUEST_PREFIX = "\0request:";

    private static String requestKey(String requestId) {
        return REQUEST_PREFIX + requestId;
    }

    private static byte[] encode(long fingerprint, AppendResult result) {
        byte[] error = result.getError() == null ? null : result.getError().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + 1 + 8 + 8 + 8 + 4 + (error == null ? 0 : error.length))
                .putLong(fingerprint)
                .put(code(result.getOutcome()))
                .putLong(result.getFirstPosition() == null ? 0 : result.getFirstPosition())
                .putLong(result.getLastPosition() == null ? 0 : result.getLastPosition())
                .putLong(result.getDecidedAt().toEpochMilli());
        if (error == null) {
            buffer.putInt(-1);
        } else {
            buffer.putInt(error.length).put(error);
        }
        return buffer.array();
    }

    private static Remembered decode(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        long fingerprint = buffer.getLong();
        AppendOutcome outcome = outcome(buffer.get());
        long first = buffer.getLong();
        long last = buffer.getLong();
        long decidedAt = buffer.getLong();
        int errorLength = buffer.getInt();
        String error = errorLength < 0 ? null : new String(value, buffer.position(), errorLength, StandardCharsets.UTF_8);
        return new Remembered(fingerprint, outcome, first, last, error, decidedAt);
    }

    // Explicit codes, not ordinals: the stored bytes must not change meaning if the enum is reordered.
    private static byte code(AppendOutcome outcome) {
        return switch (outcome) {
            case APPENDED -> 'A';
            case CONDITION_FAILED -> 'C';
            case REJECTED -> 'R';
        };
    }

    private static AppendOutcome outcome(byte code) {
        return switch (code) {
            case 'A' -> AppendOutcome.APPENDED;
            case 'C' -> AppendOutcome.CONDITION_FAILED;
            case 'R' -> AppendOutcome.REJECTED;
            default -> throw new IllegalStateException("dcb-idempotency holds an unknown outcome code " + code);
        };
    }
}
