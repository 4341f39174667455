package io.sluice.backfill.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A snapshot of every virtual host's counters ({@code GET /admin/stats}). {@code totals} sums the
 * hosts (its window maxima are the largest of any host; it has no window list).
 */
public record SimulatorStats(int limit, int windowSeconds, long plcRequests, HostStats totals, List<HostStats> hosts) {

    static final ObjectMapper JSON = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public HostStats host(String name) {
        return hosts.stream().filter(h -> h.host().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no simulated host " + name));
    }

    /** Snake-case JSON, the {@code /admin/stats} body. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stats records always serialise", e);
        }
    }
}
