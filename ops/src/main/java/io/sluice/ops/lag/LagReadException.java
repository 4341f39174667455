package io.sluice.ops.lag;

/** The broker or PostgreSQL could not be read (unreachable, timed out, refused). */
public final class LagReadException extends RuntimeException {

    public LagReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
