package io.sluice.sinks.core.internals;

/** A dead-letter report was not acknowledged: the batch must not commit, it is retried like a lost connection. */
public final class DeadLetterException extends Exception {

    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
