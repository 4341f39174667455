package io.sluice.backfill.simulator;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Sums per-host counters into the {@code totals} entry of {@link SimulatorStats}. */
final class StatsTotals {

    private StatsTotals() {
    }

    static HostStats of(List<HostStats> hosts) {
        long requests = 0;
        long served = 0;
        long repos = 0;
        long violations = 0;
        long clientErrors = 0;
        long bytes = 0;
        int maxAdmitted = 0;
        int maxArrivals = 0;
        Map<String, Long> injected = new TreeMap<>();
        for (HostStats h : hosts) {
            requests += h.requests();
            served += h.served();
            repos += h.repos();
            violations += h.violations();
            clientErrors += h.clientErrors();
            bytes += h.bytesSent();
            maxAdmitted = Math.max(maxAdmitted, h.maxAdmittedInWindow());
            maxArrivals = Math.max(maxArrivals, h.maxArrivalsInWindow());
            h.injected().forEach((kind, n) -> injected.merge(kind, n, Long::sum));
        }
        return new HostStats("*", null, requests, served, repos, violations, clientErrors, bytes, maxAdmitted, maxArrivals,
                injected, List.of());
    }
}
