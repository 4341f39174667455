package io.sluice.streams.dlq;

import io.sluice.common.dlq.DeadLetterReason;

import java.util.Objects;

/**
 * Thrown by a processor for an input record it cannot accept, never for a failure of its own: the
 * {@link DeadLetterHandler} sends the source record to the dead-letter topic with {@link #reason()} and
 * the application carries on. Every other exception stops the application.
 */
public class RejectedRecordException extends RuntimeException {

    private final DeadLetterReason reason;

    public RejectedRecordException(DeadLetterReason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
