package io.sluice.backfill.simulator;

import java.util.List;
import java.util.Map;

/**
 * One virtual host's counters since start (or the last reset).
 *
 * @param requests             every request that reached the host
 * @param served               complete 2xx responses (slow ones included, truncated ones not)
 * @param repos                of those, complete getRepo responses: repositories downloaded
 * @param violations           requests that arrived when the window's budget was already spent:
 *                             the limiter's 429s, never the injected ones; a client that respects
 *                             the limit keeps this at 0
 * @param clientErrors         other 4xx (unknown DID, bad parameters, unknown method)
 * @param maxAdmittedInWindow  most requests admitted in one window (never above the limit)
 * @param maxArrivalsInWindow  most requests arriving in one window, rejected ones included
 * @param injected             injected faults by {@link FaultKind#jsonName()}
 * @param windows              the most recent windows' counts, oldest first
 */
public record HostStats(String host, String endpoint, long requests, long served, long repos, long violations, long clientErrors,
                        long bytesSent, int maxAdmittedInWindow, int maxArrivalsInWindow, Map<String, Long> injected,
                        List<WindowCount> windows) {

    public long injected(FaultKind kind) {
        return injected.getOrDefault(kind.jsonName(), 0L);
    }
}
