package io.sluice.backfill.atproto.car;

import io.sluice.backfill.atproto.AtprotoFormatException;

/**
 * A CAR stream that cannot be read: cut short, over a {@link Limits} bound, or malformed. The
 * {@link Reason} lets the fetcher decide: a truncated body may be a network fault worth a retry,
 * the other two will fail the same way every time.
 */
public class CarFormatException extends AtprotoFormatException {

    public enum Reason {
        /** The stream ended inside the header or a block. */
        TRUNCATED,
        /** A block or the whole CAR is larger than the configured {@link Limits}. */
        LIMIT_EXCEEDED,
        /** The bytes are not a CARv1 stream. */
        MALFORMED
    }

    private final Reason reason;
    private final long offset;

    public CarFormatException(Reason reason, long offset, String message) {
        super(message);
        this.reason = reason;
        this.offset = offset;
    }

    public CarFormatException(Reason reason, long offset, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.offset = offset;
    }

    public Reason reason() {
        return reason;
    }

    /** Byte offset in the CAR stream where the problem was found. */
    public long offset() {
        return offset;
    }
}
