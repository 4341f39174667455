package io.sluice.dcb.api;

/** A request the API refuses with 400; the message says what is wrong, in the client's terms. */
public final class BadRequestException extends RuntimeException {

    public BadRequestException(String message) {
        super(message);
    }
}
