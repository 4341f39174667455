package io.sluice.backfill.fetch;

import io.sluice.common.dlq.DeadLetterReason;

/**
 * Why a fetch attempt did not produce a repository, or one of its records: the value of the
 * {@code sluice.dlq.reason} header and the prefix of {@code DidStatus.last_error}. A retryable reason sends the task back
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
    DESERIALIZATION(false),
    // Per record: the repository is stored without the one record, its DidStatus is PARTIAL, and the dead
    // letter (the FetchTask, so a replay fetches again, e.g. after a limit was raised) names the record.
    /** A record block that is not valid DAG-CBOR (bad UTF-8, a forbidden type, trailing bytes, ...). */
    RECORD_UNDECODABLE(false),
    /** A record nested deeper than the fetcher's max record depth. */
    RECORD_TOO_DEEP(false),
    /** A record whose RepoRecord is over the fetcher's max record bytes. */
    RECORD_TOO_LARGE(false),
    /**
     * The repository's records passed the JSON budget (max JSON per CAR byte times the CAR's size):
     * extraction stopped; one dead letter names the record where, the rest are counted in dead_lettered.
     */
    EXTRACTION_LIMIT(false);

    private final boolean retryable;

    FailureReason(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
