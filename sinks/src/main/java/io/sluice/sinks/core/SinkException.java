package io.sluice.sinks.core;

/** A failure the sink does not retry (a bug in a writer, a missing table, bad credentials): it stops the loop. */
public class SinkException extends RuntimeException {

    public SinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
