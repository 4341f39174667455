package io.sluice.common.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one capped exponential backoff every stage waits with. Retry {@code n} (1-based) has the ceiling
 * {@code d = min(max, initial * multiplier^(n-1))} and waits a random time in
 * {@code [max(initial, d * (1 - jitter)), d]}: {@code jitter} 0 is a fixed schedule, 0.5 "equal
 * jitter", 1 "full jitter". Jitter keeps many clients that failed together (a broker, registry or
 * PostgreSQL restart) from coming back in lockstep. No wait is ever below {@code initial} or above
 * {@code max}, and the ceiling never falls as {@code n} grows.
 *
 * @param initial    the wait before the first retry (zero: never wait)
 * @param max        the longest wait
 * @param multiplier growth of the ceiling per retry, at least 1
 * @param jitter     the fraction of the ceiling that is random, 0..1
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative()) throw new IllegalArgumentException("backoff initial must not be negative, got " + initial);
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff max " + max + " is below its initial " + initial);
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1, got " + multiplier);
        }
        if (!(jitter >= 0 && jitter <= 1)) throw new IllegalArgumentException("backoff jitter must be in 0..1, got " + jitter);
    }

    /** Doubling from {@code initial} to {@code max}, the most common shape. */
    public static Backoff doubling(Duration initial, Duration max, double jitter) {
        return new Backoff(initial, max, 2, jitter);
    }

    /** The wait before retry {@code attempt} (1 for the first retry), jittered at random. */
    public Duration delay(int attempt) {
        return delay(attempt, jitter == 0 ? 0 : ThreadLocalRandom.current().nextDouble());
    }

    /**
     * @param attempt 1 for the first retry
     * @param random  uniform in [0, 1): 0 gives the shortest wait, towards 1 the ceiling
     */
    public Duration delay(int attempt, double random) {
        if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        if (!(random >= 0 && random < 1)) throw new IllegalArgumentException("random must be in [0, 1), got " + random);
        return Duration.ofNanos(Math.round(lowest(attempt) + (ceiling(attempt) - lowest(attempt)) * random));
    }

    /** The longest wait before retry {@code attempt}: {@code min(max, initial * multiplier^(attempt-1))}. */
    public Duration ceilingOf(int attempt) {
        if (attempt < 1) throw new IllegalArgumentException("attempt must be >= 1, got " + attempt);
        return Duration.ofNanos(Math.round(ceiling(attempt)));
    }

    // In doubles, so that a long outage (attempt 10 000) cannot overflow.
    private double ceiling(int attempt) {
        return Math.min((double) max.toNanos(), initial.toNanos() * Math.pow(multiplier, attempt - 1));
    }

    private double lowest(int attempt) {
        double d = ceiling(attempt);
        return Math.max(initial.toNanos(), d * (1 - jitter));
    }
}
