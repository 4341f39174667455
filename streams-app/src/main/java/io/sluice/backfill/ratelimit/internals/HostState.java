package io.sluice.backfill.ratelimit.internals;

import io.sluice.backfill.ratelimit.WindowLimiter;

import java.util.Objects;

/**
 * Everything the limiter knows about one PDS host, as kept in the {@code ratelimit-hosts} store:
 * its queue bounds, its {@link WindowLimiter} (release history and pacing bucket), a pause, a
 * budget taken from ratelimit-remaining headers, and the 429 streak. Mutable; one instance per host
 * per stream task, never shared across threads.
 */
public final class HostState {

    private final String host;
    private final HostLimits limits;
    private final WindowLimiter limiter;
    private long head;
    private long tail;
    private long pausedUntil;
    private int budget;
    private long budgetUntil;
    private long lastHeadersAt;
    private int consecutive429s;
    private long last429At;
    private Learned learned = Learned.NOTHING;

    HostState(String host, HostLimits limits, WindowLimiter limiter) {
        this.host = Objects.requireNonNull(host, "host");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /** A host seen for the first time at {@code now}. */
    public static HostState fresh(String host, HostLimits limits, long now) {
        return new HostState(host, limits, limits.freshLimiter(now));
    }

    /**
     * Takes the releases allowed at {@code now}: none while paused, at most the budget while one
     * is in force, otherwise what the limiter allows for the queued tasks (see
     * {@link WindowLimiter#release}).
     *
     * @return the released_at of each task to take from the head of the queue, in order
     */
    public long[] release(long now, long dispatchDelayMillis, long lookaheadMillis) {
        if (queued() == 0) return new long[0];
        int wanted = (int) Math.min(Integer.MAX_VALUE, queued());
        if (limiter.slots() != null) return releaseIntoWindows(now, wanted, dispatchDelayMillis, lookaheadMillis);
        if (now < pausedUntil) return new long[0];
        boolean budgeted = budgetInForce(now);
        if (budgeted) wanted = Math.min(wanted, budget);
        long[] at = limiter.release(now, wanted, dispatchDelayMillis, lookaheadMillis, now);
        if (budgeted) budget -= at.length;
        return at;
    }

    /**
     * Epoch-aligned windows: tasks are released ahead of time with their own released_at, so the pause
     * and the budget apply to those instants: none before the pause ends, and while a spent budget is
     * in force none before it ends either. A budget is charged with every task released while it is in
     * force, also those stamped after its end (an over-count, for at most one punctuation).
     */
    private long[] releaseIntoWindows(long now, int wanted, long dispatchDelayMillis, long lookaheadMillis) {
        long notBefore = pausedUntil;
        boolean budgeted = budgetInForce(Math.max(now + dispatchDelayMillis, notBefore));
        if (budgeted && budget <= 0) {
            notBefore = Math.max(notBefore, budgetUntil);
            budgeted = false;
        }
        if (budgeted) wanted = Math.min(wanted, budget);
        long[] at = limiter.release(now, wanted, dispatchDelayMillis, lookaheadMillis, notBefore);
        if (budgeted) budget -= at.length;
        return at;
    }

    /** {@link #release} without dispatch delay or lookahead: how many tasks were released at {@code now}. */
    public int acquire(long now) {
        return release(now, 0, 0).length;
    }

    /** True when dropping this state loses nothing: nothing queued, no recent release, no pause, no budget. */
    public boolean isIdle(long now) {
        return queued() == 0 && now >= pausedUntil && !budgetInForce(now) && limiter.isIdle(now);
    }

    public boolean budgetInForce(long now) {
        return now < budgetUntil;
    }

    public long queued() {
        return tail - head;
    }

    /** Position for the next queued task; the caller stores the task under it. */
    long claimTail() {
        return tail++;
    }

    /** Position of the task at the head; the caller removes the task stored under it. */
    long claimHead() {
        if (queued() == 0) throw new IllegalStateException("queue of host " + host + " is empty");
        return head++;
    }

    /** Pauses the host until {@code until} (epoch ms), unless it is already paused longer. */
    void pauseUntil(long until) {
        pausedUntil = Math.max(pausedUntil, until);
    }

    /** Until {@code until}, release at most {@code n} more tasks. */
    void limitBudget(int n, long until) {
        budget = Math.max(0, n);
        budgetUntil = until;
    }

    void headersObservedAt(long at) {
        lastHeadersAt = at;
    }

    void throttled(long observedAt, boolean newStreak) {
        if (newStreak) consecutive429s++;
        last429At = Math.max(last429At, observedAt);
    }

    void streakEnded() {
        consecutive429s = 0;
    }

    void learned(Learned l) {
        learned = Objects.requireNonNull(l, "learned");
    }

    /** Restores the persisted fields (see {@link HostStateSerde}). */
    void restore(long head, long tail, long pausedUntil, int budget, long budgetUntil, long lastHeadersAt,
                 int consecutive429s, long last429At, Learned learned) {
        if (tail < head) throw new IllegalArgumentException("queue tail " + tail + " before head " + head);
        this.head = head;
        this.tail = tail;
        this.pausedUntil = pausedUntil;
        this.budget = budget;
        this.budgetUntil = budgetUntil;
        this.lastHeadersAt = lastHeadersAt;
        this.consecutive429s = consecutive429s;
        this.last429At = last429At;
        learned(learned);
    }

    public String host() { return host; }
    public HostLimits limits() { return limits; }
    public WindowLimiter limiter() { return limiter; }
    public long head() { return head; }
    public long tail() { return tail; }
    public long pausedUntil() { return pausedUntil; }
    public int budget() { return budget; }
    public long budgetUntil() { return budgetUntil; }
    public long lastHeadersAt() { return lastHeadersAt; }
    public int consecutive429s() { return consecutive429s; }
    public long last429At() { return last429At; }
    public Learned learned() { return learned; }

    @Override
    public String toString() {
        return "HostState{" + host + ", policy " + limits.policy() + ", queued " + queued() + ", paused until " + pausedUntil
                + ", budget " + budget + " until " + budgetUntil + ", 429 streak " + consecutive429s + "}";
    }
}
