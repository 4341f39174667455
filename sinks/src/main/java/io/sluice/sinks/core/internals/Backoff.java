package io.sluice.sinks.core.internals;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with "equal jitter": attempt n waits a random time in
 * [d/2, d] with d = min(max, min·2^(n-1)), never less than min. The jitter keeps many sink
 * instances, knocked out by the same PostgreSQL restart, from coming back in lockstep.
 */
public record Backoff(Duration min, Duration max) {

    public Backoff {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 < min <= max, got " + min + ", " + max);
        }
    }

    public Duration delay(int attempt) {
        return delay(attempt, ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param attempt 1 for the first retry
     * @param random  uniform in [0, 1)
     */
    public Duration delay(int attempt, double random) {
        if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        if (random < 0 || random >= 1) throw new IllegalArgumentException("random must be in [0, 1), got " + random);
        // In doubles, so that a long outage (attempt 100) cannot overflow.
        double ceiling = Math.min((double) max.toNanos(), min.toNanos() * Math.pow(2, attempt - 1));
        long nanos = (long) (ceiling / 2 + ceiling / 2 * random);
        return Duration.ofNanos(Math.max(min.toNanos(), nanos));
    }
}
