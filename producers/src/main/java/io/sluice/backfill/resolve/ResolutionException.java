package io.sluice.backfill.resolve;

/**
 * One attempt to resolve a DID failed. {@link #isTransient()} failures (5xx, 429, timeouts, DNS) are
 * retried with backoff; the others are final for the DID and name their {@link FailureReason}.
 */
public final class ResolutionException extends Exception {

    private final FailureReason reason;
    private final boolean transientFailure;

    private ResolutionException(FailureReason reason, boolean transientFailure, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.transientFailure = transientFailure;
    }

    public static ResolutionException permanent(FailureReason reason, String message) {
        return new ResolutionException(reason, false, message, null);
    }

    public static ResolutionException permanent(FailureReason reason, String message, Throwable cause) {
        return new ResolutionException(reason, false, message, cause);
    }

    /** Worth another attempt; becomes {@link FailureReason#RETRIES_EXHAUSTED} when the attempts run out. */
    public static ResolutionException retryable(String message, Throwable cause) {
        return new ResolutionException(FailureReason.RETRIES_EXHAUSTED, true, message, cause);
    }

    public FailureReason reason() {
        return reason;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
