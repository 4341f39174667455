package io.sluice.stack;

/** A service of the stack could not be started or reached; the message says what to do about it. */
public class StackException extends RuntimeException {

    public StackException(String message) {
        super(message);
    }

    public StackException(String message, Throwable cause) {
        super(message, cause);
    }
}
