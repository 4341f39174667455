package io.sluice.backfill.fetch;

/**
 * The result of one request to the PDS for a task (a download, or the question whether one is needed), with the response's rate-limit headers
 * ({@link RateLimitHeaders#NONE} when there was no response) and when the response arrived.
 */
sealed interface Attempt {

    RateLimitHeaders headers();

    long observedAt();

    /**
     * The repository was read and walked: its records went to the emitter, except those the summary
     * counts as missing from the CAR or skipped past an extraction limit.
     */
    record Fetched(RepoExtractor.Summary summary, RateLimitHeaders headers, long observedAt) implements Attempt {
    }

    /** The PDS named the repository's latest revision ({@code getLatestCommit}); nothing was downloaded. */
    record Checked(String rev, RateLimitHeaders headers, long observedAt) implements Attempt {
    }

    /** Nothing, or not everything, was fetched; {@code cause} may be null (an HTTP status). */
    record Failed(FailureReason reason, String message, Exception cause, RateLimitHeaders headers, long observedAt)
            implements Attempt {

        String errorClass() {
            return cause == null ? "HTTP" : cause.getClass().getName();
        }

        /** For DidStatus.last_error: {@code server-error: HTTP 503 ...}. */
        String describe() {
            return reason.code() + ": " + message;
        }
    }
}
