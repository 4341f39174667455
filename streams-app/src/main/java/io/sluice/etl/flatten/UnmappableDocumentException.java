package io.sluice.etl.flatten;

/**
 * A change event the flattener cannot turn into rows: malformed extended JSON, a field of the wrong
 * type, an unknown operation, an array too long for the {@code user_id * 10000 + index} row ids. Not
 * transient: retrying gives the same answer, so the record goes to the dead-letter topic with this
 * message as its reason.
 */
public class UnmappableDocumentException extends RuntimeException {

    public UnmappableDocumentException(String message) {
        super(message);
    }

    public UnmappableDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
