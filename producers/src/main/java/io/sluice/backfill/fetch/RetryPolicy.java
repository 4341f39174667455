package io.sluice.backfill.fetch;

import io.sluice.common.retry.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently a task is retried after a retryable {@link FailureReason}. Every
 * retry goes back through the rate limiter (on backfill.retry), so each request the fetcher makes
 * was released against the PDS's budget; the back-off is waited before the task is sent back.
 *
 * @param maxAttempts    attempts in all, the first included; a task failing its last one is dead-lettered
 * @param initialBackoff wait after the first failed attempt, doubled after each further one
 * @param maxBackoff     the longest wait
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** 8 attempts, back-off 1 s doubling to 30 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(8, Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > 1000) {
            throw new IllegalArgumentException("max attempts must be 1..1000, got " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initial backoff <= max backoff, got " + initialBackoff
                    + " and " + maxBackoff);
        }
    }

    /** Whether attempt number {@code attempt} (1-based) may be followed by another. */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /**
     * The wait after failed attempt {@code attempt}: exponential, capped, with "equal jitter" (half
     * fixed, half random) so tasks that failed together do not come back together.
     */
    public Duration backoffAfter(int attempt) {
        return backoff().delay(Math.max(1, attempt));
    }

    public Backoff backoff() {
        return Backoff.doubling(initialBackoff, maxBackoff, 0.5);
    }
}
