package io.sluice.backfill.ratelimit;

import java.time.Duration;
import java.util.Arrays;

/**
 * Decides how many of one host's tasks may be released now: a sliding-window cap, which is the
 * guarantee, combined with a pacing {@link TokenBucket}, which only spreads releases out.
 *
 * <h2>Why a sliding-window log and not a plain token bucket</h2>
 * A bucket of capacity {@code L} refilled at {@code L/w} can release {@code L} at the end of one
 * fixed window and {@code L} more at the start of the next: {@code 2L} in one window-length, which a
 * PDS counting per fixed window may reject. A bucket of capacity {@code b} stays within the limit
 * only at the rate {@code (L-b+1)/w}, and with releases quantized to punctuations it needs
 * {@code b >= 2} to keep pace, losing at least {@code 1/L} of the allowance (5% at 20/s).
 *
 * <h2>The guarantee</h2>
 * With horizon {@code H = window + margin}, a release at {@code t} is allowed only while the
 * {@link ReleaseLog} holds fewer than {@code limit} releases recorded after {@code t - H}
 * (the log never records a release earlier than it happened, so it never under-counts).
 * <ol>
 * <li>Any half-open interval {@code [a, a+H)} holds at most {@code limit} releases: let {@code t} be
 * the last of them; all the others happened in {@code [a, t]}, inside {@code (t-H, t]} because
 * {@code t < a+H}, so they were all counted when {@code t} was allowed.</li>
 * <li>A fixed PDS window {@code [kw, (k+1)w)} receives the requests a fetcher started between
 * {@code d} and {@code d + j} after their release, for some delay {@code d} and spread {@code j}.
 * They were released in an interval of length {@code w + j <= H} when {@code j <= margin}; by 1,
 * at most {@code limit} of them. Fetchers start each task at its released_at (release plus a fixed
 * dispatch delay) and no later than its not_after (released_at plus the TTL), so {@code j} is the
 * TTL plus the spread of request latency.</li>
 * </ol>
 * Hence the margin must cover the task TTL (the settings enforce TTL <= 3/4 margin, the last quarter
 * absorbing request latency jitter) and the long-run rate is {@code limit / H}: with a 30 ms margin
 * on 20/s, 97% of the allowance. Restarts keep the guarantee because the log is part of the
 * persisted host state.
 *
 * <h2>Pacing</h2>
 * The bucket accrues {@code limit / H} per ms up to what accrues in four punctuations or 250 ms,
 * whichever is longer (at least 2, at most {@code limit}): a punctuation that comes late on a busy
 * machine loses nothing, yet a 3000/300s host releases about 10 tasks a second (3 at most at once)
 * instead of 3,000 at once, and a 20/s host at most 5 at once, also after an idle spell or a restart.
 *
 * <h2>Epoch-aligned windows</h2>
 * Given {@link EpochSlots} ({@link WindowAlignment#EPOCH}), the log and the bucket above are not the
 * limit: {@link #release} schedules at most {@code limit} tasks into each epoch-aligned window, each
 * with its own released_at, and {@link #notAfter} ends their deadlines before the window does. The
 * log then holds one entry per window (its task count, at the window's last millisecond), so it
 * persists the same way.
 *
 * <p>Pure: every method takes the time; not thread-safe.
 */
public final class WindowLimiter {

    /** The pacing bucket holds what accrues in this many punctuations (or {@link #MIN_PACING_SPAN_MS}), so late ones lose nothing. */
    static final int PACING_SPAN_PUNCTUATIONS = 4;
    static final long MIN_PACING_SPAN_MS = 250;

    private final int limit;
    private final long horizonMillis;
    private final ReleaseLog log;
    private final TokenBucket pacing;
    /** Null: sliding windows. */
    private final EpochSlots slots;

    private WindowLimiter(int limit, long horizonMillis, ReleaseLog log, TokenBucket pacing, EpochSlots slots) {
        this.limit = limit;
        this.horizonMillis = horizonMillis;
        this.log = log;
        this.pacing = pacing;
        this.slots = slots;
    }

    /** A fresh limiter at {@code now}: empty log, full pacing bucket. */
    public static WindowLimiter start(RateLimitPolicy policy, Duration margin, Duration punctuation, long now) {
        return restore(policy, margin, punctuation, new ReleaseLog(), Double.MAX_VALUE, now);
    }

    /** A limiter over persisted state; the pacing bucket's rate and capacity come from the current policy. */
    public static WindowLimiter restore(RateLimitPolicy policy, Duration margin, Duration punctuation,
                                        ReleaseLog log, double tokens, long lastRefillAt) {
        return restore(policy, margin, punctuation, null, log, tokens, lastRefillAt);
    }

    /**
     * A limiter over persisted state that schedules into epoch-aligned windows per {@code slots}
     * (null: sliding windows). The log must have been written in the same alignment: a log of the
     * other kind counts the releases of the last window in a different place.
     */
    public static WindowLimiter restore(RateLimitPolicy policy, Duration margin, Duration punctuation, EpochSlots slots,
                                        ReleaseLog log, double tokens, long lastRefillAt) {
        long horizon = horizonMillis(policy, margin);
        double rate = (double) policy.limit() / horizon;
        double accrual = Math.ceil(rate * Math.max(PACING_SPAN_PUNCTUATIONS * punctuation.toMillis(), MIN_PACING_SPAN_MS));
        double capacity = Math.max(1, Math.min(policy.limit(), Math.max(2, accrual)));
        if (slots != null && (slots.limit() != policy.limit() || slots.window() != policy.windowMillis())) {
            throw new IllegalArgumentException("epoch slots " + slots + " do not match the policy " + policy);
        }
        return new WindowLimiter(policy.limit(), horizon, log, new TokenBucket(rate, capacity, tokens, lastRefillAt), slots);
    }

    /** {@code window + margin}: the sliding window in which at most {@code limit} releases happen. */
    public static long horizonMillis(RateLimitPolicy policy, Duration margin) {
        if (margin.isNegative()) throw new IllegalArgumentException("safety margin must not be negative, got " + margin);
        return Math.addExact(policy.windowMillis(), margin.toMillis());
    }

    /** How many releases are allowed at {@code now} (epoch-aligned: left in the current window). */
    public int available(long now) {
        log.forgetUpTo(now - horizonMillis);
        if (slots != null) return Math.max(0, limit - usedSince(slots.windowStart(now)));
        int inWindow = log.countAfter(now - horizonMillis);
        return Math.max(0, Math.min(pacing.available(now), limit - inWindow));
    }

    /**
     * Releases up to {@code wanted} tasks at {@code now} and returns their released_at instants,
     * earliest first. Sliding: as many as {@link #acquire} allows, all at {@code now + dispatchDelay}.
     * Epoch-aligned: the free slots of the windows from {@code now + dispatchDelay} on whose instants
     * are at most {@code lookahead} later (the next punctuation releases the rest in time) and not
     * before {@code notBefore}.
     */
    public long[] release(long now, int wanted, long dispatchDelayMillis, long lookaheadMillis, long notBefore) {
        if (wanted < 0) throw new IllegalArgumentException("negative release request " + wanted);
        if (slots == null) {
            long[] at = new long[acquire(now, wanted)];
            Arrays.fill(at, now + dispatchDelayMillis);
            return at;
        }
        log.forgetUpTo(now - horizonMillis);
        long latest = now + dispatchDelayMillis + lookaheadMillis;
        long earliest = Math.max(now + dispatchDelayMillis, notBefore);
        long start = slots.windowStart(earliest);
        long[] at = new long[Math.min(wanted, 16)];
        int n = 0;
        while (n < wanted && start <= latest) {
            long slot = slots.slot(start, usedSince(start), earliest);
            if (slot < 0) {
                start += slots.window();
                continue;
            }
            if (slot > latest) break;
            log.record(slots.logInstant(start), 1);
            if (n == at.length) at = Arrays.copyOf(at, at.length * 2);
            at[n++] = slot;
        }
        return Arrays.copyOf(at, n);
    }

    /** The not_after of a task released at {@code releasedAt} that may start up to {@code ttl} ms late. */
    public long notAfter(long releasedAt, long ttlMillis) {
        return slots == null ? Math.addExact(releasedAt, ttlMillis) : slots.notAfter(releasedAt, ttlMillis);
    }

    /**
     * Tasks scheduled into the epoch-aligned window starting at {@code start} or later. Windows are
     * filled in order and a window is left only when it is full or its slots are in the past, so
     * counting the later windows too only matters for windows that take no more tasks anyway; and it
     * stays an over-count however coarse the log's grid becomes.
     */
    private int usedSince(long start) {
        return log.countAfter(start - 1);
    }

    /** Releases up to {@code wanted} at {@code now} and returns how many were allowed (sliding windows). */
    public int acquire(long now, int wanted) {
        if (wanted < 0) throw new IllegalArgumentException("negative release request " + wanted);
        if (slots != null) throw new IllegalStateException("an epoch-aligned limiter releases with release()");
        int n = Math.min(wanted, available(now));
        if (n > 0) {
            pacing.take(now, n);
            log.record(now, n);
        }
        return n;
    }

    /** True when no release of the last horizon is remembered: the state says nothing a fresh limiter would not. */
    public boolean isIdle(long now) {
        log.forgetUpTo(now - horizonMillis);
        return log.isEmpty();
    }

    public int limit() {
        return limit;
    }

    public long horizonMillis() {
        return horizonMillis;
    }

    public ReleaseLog log() {
        return log;
    }

    public TokenBucket pacing() {
        return pacing;
    }

    /** The epoch-aligned schedule, or null for sliding windows. */
    public EpochSlots slots() {
        return slots;
    }
}
