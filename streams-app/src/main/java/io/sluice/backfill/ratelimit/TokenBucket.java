package io.sluice.backfill.ratelimit;

/**
 * A token bucket on an explicit clock: tokens accrue at a constant rate up to a capacity, and each
 * release takes one. In the limiter it only paces releases (spreads a window's allowance evenly so
 * fetchers see a steady trickle, not a burst they cannot start before the tasks expire); the
 * guarantee against window violations comes from {@link ReleaseLog} (see {@link WindowLimiter}).
 *
 * <p>Pure: time is passed in, so tests drive it with a fake clock. A clock that goes backwards
 * accrues nothing until it passes the last refill again. Not thread-safe.
 */
public final class TokenBucket {

    private final double ratePerMilli;
    private final double capacity;
    private double tokens;
    private long lastRefillAt;

    /**
     * @param ratePerMilli tokens added per millisecond, > 0
     * @param capacity     most tokens held, >= 1
     * @param tokens       tokens held at {@code lastRefillAt}, clamped to [0, capacity]
     * @param lastRefillAt when {@code tokens} was last brought up to date (epoch ms)
     */
    public TokenBucket(double ratePerMilli, double capacity, double tokens, long lastRefillAt) {
        if (!(ratePerMilli > 0) || Double.isInfinite(ratePerMilli)) {
            throw new IllegalArgumentException("token rate must be positive and finite, got " + ratePerMilli);
        }
        if (!(capacity >= 1) || Double.isInfinite(capacity)) {
            throw new IllegalArgumentException("bucket capacity must be at least 1, got " + capacity);
        }
        this.ratePerMilli = ratePerMilli;
        this.capacity = capacity;
        this.tokens = Double.isNaN(tokens) ? 0 : Math.max(0, Math.min(capacity, tokens));
        this.lastRefillAt = lastRefillAt;
    }

    /** A full bucket at {@code now}. */
    public static TokenBucket full(double ratePerMilli, double capacity, long now) {
        return new TokenBucket(ratePerMilli, capacity, capacity, now);
    }

    /** Whole tokens available at {@code now}. */
    public int available(long now) {
        refill(now);
        return (int) Math.floor(tokens);
    }

    /**
     * Takes {@code n} tokens at {@code now}.
     *
     * @throws IllegalArgumentException if fewer than {@code n} whole tokens are available
     */
    public void take(long now, int n) {
        if (n < 0 || n > available(now)) {
            throw new IllegalArgumentException("cannot take " + n + " tokens, " + available(now) + " available");
        }
        tokens -= n;
    }

    public double tokens() {
        return tokens;
    }

    public long lastRefillAt() {
        return lastRefillAt;
    }

    public double ratePerMilli() {
        return ratePerMilli;
    }

    public double capacity() {
        return capacity;
    }

    private void refill(long now) {
        if (now <= lastRefillAt) return;
        tokens = Math.min(capacity, tokens + (now - lastRefillAt) * ratePerMilli);
        lastRefillAt = now;
    }
}
