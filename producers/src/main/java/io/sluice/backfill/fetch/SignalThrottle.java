package io.sluice.backfill.fetch;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which successful responses' {@code ratelimit-*} headers are worth a HEADERS
 * RateLimitSignal. Every response carries them, and one signal per download would double the
 * traffic on backfill.ratelimit to tell the limiter what it already knows: its own sliding window
 * keeps us under the configured policy. The headers matter when the PDS disagrees, so a signal is
 * sent when
 * <ul>
 * <li>{@code remaining} is low: at most {@code lowFraction} of the stated limit (or of
 * {@code lowFloor} requests when no limit is stated), so the limiter can pause the host before a
 * 429 (others share the budget, or the PDS's limit is below the configured one); at most one per
 * host per {@code minInterval};</li>
 * <li>it is the first response with budget left after a 429 from that host, which ends the
 * limiter's 429 streak (so its back-off does not keep doubling).</li>
 * </ul>
 * Thread-safe; one entry per host seen.
 */
final class SignalThrottle {

    private final double lowFraction;
    private final int lowFloor;
    private final long minIntervalMillis;
    private final ConcurrentHashMap<String, HostSignals> hosts = new ConcurrentHashMap<>();

    SignalThrottle(double lowFraction, int lowFloor, Duration minInterval) {
        this.lowFraction = lowFraction;
        this.lowFloor = lowFloor;
        this.minIntervalMillis = minInterval.toMillis();
    }

    /** Whether to signal these headers of a non-429 response from {@code host} observed at {@code now}. */
    boolean shouldSignal(String host, RateLimitHeaders headers, long now) {
        Integer remaining = headers.remaining();
        if (remaining == null) return false;
        HostSignals state = hosts.computeIfAbsent(host, h -> new HostSignals());
        synchronized (state) {
            if (state.after429 && remaining > 0) {
                state.after429 = false;
                state.lastSent = now;
                return true;
            }
            if (remaining <= lowThreshold(headers.limit()) && now - state.lastSent >= minIntervalMillis) {
                state.lastSent = now;
                return true;
            }
            return false;
        }
    }

    /** A 429 from {@code host} was signalled at {@code now}. */
    void throttled(String host, long now) {
        HostSignals state = hosts.computeIfAbsent(host, h -> new HostSignals());
        synchronized (state) {
            state.after429 = true;
            state.lastSent = now;
        }
    }

    private long lowThreshold(Integer limit) {
        return limit == null ? lowFloor : Math.max(lowFloor, (long) Math.ceil(limit * lowFraction));
    }

    private static final class HostSignals {
        boolean after429;
        long lastSent = Long.MIN_VALUE / 2;
    }
}
