package io.sluice.ops.dlq;

/** A dead-letter topic could not be listed, read or replayed; the message says which and why. */
public final class DlqException extends RuntimeException {

    public DlqException(String message) {
        super(message);
    }

    public DlqException(String message, Throwable cause) {
        super(message, cause);
    }
}
