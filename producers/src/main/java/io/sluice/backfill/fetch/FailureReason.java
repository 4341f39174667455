package io.sluice.backfill.fetch;

import io.sluice.common.dlq.DeadLetterReason;

/**
 * Why a fetch attempt did not produce a repository: the value of the {@code sluice.dlq.reason}
 * header and the prefix of {@code DidStatus.last_error}. A retryable reason sends the task back
 * through the rate limiter (after a back-off), up to the retry policy's attempts; the others
 * dead-letter it at once, since fetching the same bytes again cannot help.
 */
public enum FailureReason implements DeadLetterReason {
    /** HTTP 429: the PDS throttled us; the limiter hears about it and holds the host back. */
    RATE_LIMITED(true),
    /** HTTP 5xx. */
    SERVER_ERROR(true),
    /** No response headers, or no body progress, within the configured timeouts. */
    TIMEOUT(true),
    /** The connection could not be made or broke before the response. */
    CONNECTION(true),
    /** The body ended early: fewer bytes than Content-Length, a broken stream, a CAR cut short. */
    TRUNCATED(true),
    /** The CAR lacks blocks its tree references (or they failed their CID check): maybe corrupted in transit. */
    INCOMPLETE(true),
    /** HTTP 4xx other than 429 (e.g. RepoNotFound, RepoTakendown), or a redirect. */
    CLIENT_ERROR(false),
    /** Not a CARv1 repository of the requested DID: bad CAR, DAG-CBOR, MST or commit. */
    MALFORMED(false),
    /** Over a configured bound: CAR size, block size or record size. */
    LIMIT_EXCEEDED(false),
    /** The PDS endpoint is not a URL the fetcher may call (scheme, or a private address not allowed). */
    ENDPOINT_REJECTED(false),
    /** The fetcher itself failed (its spill file, or a bug): logged as an error, retried like a network fault. */
    INTERNAL_ERROR(true),
    /** The backfill.fetch record is not a FetchTask (bad Avro, no value): {@code deserialization}, as in every stage. */
    DESERIALIZATION(false);

    private final boolean retryable;

    FailureReason(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
