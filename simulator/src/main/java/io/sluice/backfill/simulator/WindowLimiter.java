package io.sluice.backfill.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One virtual host's rate limit: fixed windows of the policy's length aligned to the Unix epoch,
 * at most {@code limit} admitted requests in each, as the reference PDS counts them. Every
 * arrival is counted, admitted or not; an arrival with the budget spent is a violation. Keeps the
 * last {@link #HISTORY} windows' counts for the stats. Thread-safe (one short lock per request).
 */
final class WindowLimiter {

    static final int HISTORY = 120;

    /** The verdict on one request, with what the {@code ratelimit-*} headers must say. */
    record Admission(boolean admitted, int limit, int remaining, long resetEpochSeconds) {
    }

    private final int limit;
    private final long windowMillis;
    private final ArrayDeque<WindowCount> history = new ArrayDeque<>();
    private long window = Long.MIN_VALUE;
    private int arrivals;
    private int admitted;
    private int violations;
    private int maxAdmitted;
    private int maxArrivals;

    WindowLimiter(RateLimitPolicy policy) {
        this.limit = policy.limit();
        this.windowMillis = policy.windowSeconds() * 1000L;
    }

    synchronized Admission arrive(long epochMillis) {
        roll(epochMillis);
        arrivals++;
        boolean ok = admitted < limit;
        if (ok) {
            admitted++;
        } else {
            violations++;
        }
        maxAdmitted = Math.max(maxAdmitted, admitted);
        maxArrivals = Math.max(maxArrivals, arrivals);
        return new Admission(ok, limit, limit - admitted, (window + 1) * windowMillis / 1000);
    }

    /** The headers' view without counting a request: for responses that are not rate limited. */
    synchronized Admission peek(long epochMillis) {
        roll(epochMillis);
        return new Admission(true, limit, limit - admitted, (window + 1) * windowMillis / 1000);
    }

    /** Windows that saw requests, oldest first, the current one last. */
    synchronized List<WindowCount> windows() {
        List<WindowCount> all = new ArrayList<>(history);
        if (arrivals > 0) {
            all.add(current());
        }
        return all;
    }

    synchronized int maxAdmitted() {
        return maxAdmitted;
    }

    synchronized int maxArrivals() {
        return maxArrivals;
    }

    synchronized void reset() {
        history.clear();
        window = Long.MIN_VALUE;
        arrivals = admitted = violations = maxAdmitted = maxArrivals = 0;
    }

    private void roll(long epochMillis) {
        long w = Math.floorDiv(epochMillis, windowMillis);
        if (w == window) {
            return;
        }
        if (arrivals > 0) {
            history.addLast(current());
            while (history.size() > HISTORY) {
                history.removeFirst();
            }
        }
        window = w;
        arrivals = admitted = violations = 0;
    }

    private WindowCount current() {
        return new WindowCount(window * windowMillis / 1000, arrivals, admitted, violations);
    }
}
