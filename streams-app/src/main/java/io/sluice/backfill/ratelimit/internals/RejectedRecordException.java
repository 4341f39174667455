package io.sluice.backfill.ratelimit.internals;

/**
 * An input record the limiter cannot accept (no key, key and host disagree, no value, the host's
 * queue is full). {@link DeadLetterHandler} sends it to the DLQ and the limiter carries on; every
 * other exception stops the application.
 */
public final class RejectedRecordException extends RuntimeException {

    public RejectedRecordException(String reason) {
        super(reason);
    }
}
