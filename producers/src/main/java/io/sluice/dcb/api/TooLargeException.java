package io.sluice.dcb.api;

/**
 * A request the API refuses with 413: it is larger than the API or Kafka takes. Permanent, unlike a
 * 503: the same request will be refused again, so it must not be retried as it is.
 */
public final class TooLargeException extends RuntimeException {

    public TooLargeException(String message) {
        super(message);
    }
}
