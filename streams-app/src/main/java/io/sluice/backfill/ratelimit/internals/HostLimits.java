package io.sluice.backfill.ratelimit.internals;

import io.sluice.backfill.ratelimit.EpochSlots;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.ReleaseLog;
import io.sluice.backfill.ratelimit.WindowAlignment;
import io.sluice.backfill.ratelimit.WindowLimiter;

import java.time.Duration;

/**
 * One host's limits as the configuration sets them: its policy, the margin added to its window and
 * how long after their released_at its tasks may still be started.
 *
 * @param policy      the host's policy (its override or the default)
 * @param margin      added to the policy window, see {@link WindowLimiter}
 * @param ttl         from released_at to not_after: how late a fetcher may still start a task
 * @param punctuation the punctuation interval, which sizes the pacing bucket
 * @param slots       the epoch-aligned schedule, or null for sliding windows
 */
public record HostLimits(RateLimitPolicy policy, Duration margin, Duration ttl, Duration punctuation, EpochSlots slots) {

    public static HostLimits of(RateLimiterConfig config, String host) {
        RateLimitPolicy policy = config.policyFor(host);
        RateLimiterConfig.Timing t = config.timing();
        EpochSlots slots = t.alignment() == WindowAlignment.EPOCH
                ? new EpochSlots(policy.limit(), policy.windowMillis(), t.guardFor(policy).toMillis()) : null;
        return new HostLimits(policy, t.marginFor(policy), t.ttlFor(policy), t.punctuation(), slots);
    }

    /** A limiter with no history, its pacing bucket full. */
    public WindowLimiter freshLimiter(long now) {
        return WindowLimiter.restore(policy, margin, punctuation, slots, new ReleaseLog(), Double.MAX_VALUE, now);
    }

    /** A limiter over persisted history. */
    public WindowLimiter restoredLimiter(ReleaseLog log, double tokens, long lastRefillAt) {
        return WindowLimiter.restore(policy, margin, punctuation, slots, log, tokens, lastRefillAt);
    }
}
