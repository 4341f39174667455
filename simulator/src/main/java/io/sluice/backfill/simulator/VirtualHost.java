package io.sluice.backfill.simulator;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The state of one simulated PDS: its name and endpoint, its rate limiter, its request counters,
 * its position in the fault sequence and whether it is in a 429 storm. Thread-safe.
 */
final class VirtualHost {

    final int index;
    final String name;
    final String endpoint;
    final WindowLimiter limiter;
    private final FaultPlan faults;
    private final int stormMillis;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong stormUntil = new AtomicLong(Long.MIN_VALUE);
    private final LongAdder requests = new LongAdder();
    private final LongAdder served = new LongAdder();
    private final LongAdder repos = new LongAdder();
    private final LongAdder violations = new LongAdder();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final Map<FaultKind, LongAdder> injected = new EnumMap<>(FaultKind.class);

    VirtualHost(int index, String name, String endpoint, RateLimitPolicy policy, FaultPlan faults, int stormMillis) {
        this.index = index;
        this.name = name;
        this.endpoint = endpoint;
        this.limiter = new WindowLimiter(policy);
        this.faults = faults;
        this.stormMillis = stormMillis;
        for (FaultKind kind : FaultKind.values()) {
            injected.put(kind, new LongAdder());
        }
    }

    /** Counts an arriving request against the window. */
    WindowLimiter.Admission arrive(long nowMillis) {
        requests.increment();
        WindowLimiter.Admission admission = limiter.arrive(nowMillis);
        if (!admission.admitted()) {
            violations.increment();
        }
        return admission;
    }

    /** The next draw of this host's fault sequence; a storm in progress (or starting now) overrides it. */
    FaultPlan.Draw nextDraw(long nowMillis) {
        FaultPlan.Draw draw = faults.draw(index, sequence.getAndIncrement());
        if (draw.startsStorm()) {
            stormUntil.accumulateAndGet(nowMillis + stormMillis, Math::max);
        }
        if (nowMillis < stormUntil.get()) {
            return new FaultPlan.Draw(FaultKind.STORM, false, draw.latencyMillis(), 429, 0);
        }
        return draw;
    }

    /** When the current storm ends (Unix millis), or a time in the past. */
    long stormUntil() {
        return stormUntil.get();
    }

    void injected(FaultKind kind) {
        injected.get(kind).increment();
    }

    void served(long bytes) {
        served.increment();
        bytesSent.add(bytes);
    }

    /** A complete getRepo response. */
    void servedRepo(long bytes) {
        repos.increment();
        served(bytes);
    }

    void sent(long bytes) {
        bytesSent.add(bytes);
    }

    void clientError() {
        clientErrors.increment();
    }

    HostStats snapshot() {
        Map<String, Long> faultCounts = new LinkedHashMap<>();
        injected.forEach((kind, n) -> faultCounts.put(kind.jsonName(), n.sum()));
        List<WindowCount> windows = limiter.windows();
        return new HostStats(name, endpoint, requests.sum(), served.sum(), repos.sum(), violations.sum(), clientErrors.sum(),
                bytesSent.sum(), limiter.maxAdmitted(), limiter.maxArrivals(), faultCounts, windows);
    }

    /** Zeroes the counters and windows; the fault sequence and storms go on (they are not statistics). */
    void reset() {
        requests.reset();
        served.reset();
        repos.reset();
        violations.reset();
        clientErrors.reset();
        bytesSent.reset();
        injected.values().forEach(LongAdder::reset);
        limiter.reset();
    }
}
