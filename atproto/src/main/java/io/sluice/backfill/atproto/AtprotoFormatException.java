package io.sluice.backfill.atproto;

/**
 * Root of every "this input is not valid atproto data" error thrown by the parsing code in
 * {@code io.sluice.backfill.atproto}: malformed CIDs, DAG-CBOR, CAR files, MSTs and commits.
 *
 * <p>It is unchecked and deliberately separate from {@link java.io.IOException}: a caller (the
 * fetcher) retries I/O failures but sends a repository that throws this to the dead-letter topic,
 * because fetching the same bytes again cannot fix them. The one exception to that rule is a
 * truncated CAR, which {@code CarFormatException.Reason.TRUNCATED} lets the caller tell apart.
 */
public class AtprotoFormatException extends RuntimeException {

    public AtprotoFormatException(String message) {
        super(message);
    }

    public AtprotoFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
