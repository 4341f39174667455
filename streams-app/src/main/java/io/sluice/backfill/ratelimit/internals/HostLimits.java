package io.sluice.backfill.ratelimit.internals;

import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.ReleaseLog;
import io.sluice.backfill.ratelimit.WindowLimiter;

import java.time.Duration;

/**
 * One host's limits as the configuration sets them: its policy, the margin added to its window and
 * the time to live of its released tasks.
 *
 * @param policy      the host's policy (its override or the default)
 * @param margin      added to the policy window, see {@link WindowLimiter}
 * @param deadline    from release to not_after: dispatch delay plus the host's TTL
 * @param punctuation the punctuation interval, which sizes the pacing bucket
 */
public record HostLimits(RateLimitPolicy policy, Duration margin, Duration deadline, Duration punctuation) {

    public static HostLimits of(RateLimiterConfig config, String host) {
        RateLimitPolicy policy = config.policyFor(host);
        RateLimiterConfig.Timing t = config.timing();
        return new HostLimits(policy, t.marginFor(policy), t.dispatchDelay().plus(t.ttlFor(policy)), t.punctuation());
    }

    /** A limiter with no history, its pacing bucket full. */
    public WindowLimiter freshLimiter(long now) {
        return WindowLimiter.start(policy, margin, punctuation, now);
    }

    /** A limiter over persisted history. */
    public WindowLimiter restoredLimiter(ReleaseLog log, double tokens, long lastRefillAt) {
        return WindowLimiter.restore(policy, margin, punctuation, log, tokens, lastRefillAt);
    }
}
