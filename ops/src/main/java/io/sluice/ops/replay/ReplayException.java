package io.sluice.ops.replay;

/** A replay that must not or could not be done: active members, nothing to replay, a failed reset. */
public final class ReplayException extends RuntimeException {

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
