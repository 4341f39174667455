package io.sluice.bench.backfill;

import io.sluice.backfill.simulator.HostStats;
import io.sluice.backfill.simulator.WindowCount;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The utilisation arithmetic of {@code sluice bench backfill}: the ramp-up and the tail are not the steady rate. */
class RequestRateTest {

    /** Issue 3: a limiter at its full rate read as 83% because the partial first and last seconds were in the period. */
    @Test
    void theSteadyPartLeavesOutTheRampUpAndTheTail() {
        // two hosts at 20/s: a partial first second, a host that finishes early
        List<HostStats> hosts = List.of(host("a", 100, 5, 20, 20, 20, 20, 7), host("b", 101, 20, 20, 20, 3));

        BackfillBenchmark.RequestRate whole = BackfillBenchmark.RequestRate.of(hosts);
        assertThat(whole.seconds()).isEqualTo(6);
        assertThat(whole.perSecond()).isEqualTo((5 + 80 + 7 + 63) / 6.0);

        BackfillBenchmark.RequestRate steady = BackfillBenchmark.RequestRate.steady(hosts);
        assertThat(steady.seconds()).as("after b's first second (101), before b's last (104)").isEqualTo(2);
        assertThat(steady.perSecond()).isEqualTo(40.0);
    }

    @Test
    void aSecondWithoutRequestsInTheSteadyPartCounts() {
        List<HostStats> hosts = List.of(host("a", 100, 20, 20, 0, 20, 20));
        assertThat(BackfillBenchmark.RequestRate.steady(hosts).perSecond()).isEqualTo(40 / 3.0);
    }

    @Test
    void aRunTooShortForASteadyPartHasNone() {
        assertThat(BackfillBenchmark.RequestRate.steady(List.of(host("a", 100, 5, 7))).seconds()).isZero();
    }

    /** A host whose windows from {@code first} on admitted {@code counts} requests (0: no window recorded). */
    private static HostStats host(String name, long first, int... counts) {
        List<WindowCount> windows = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) windows.add(new WindowCount(first + i, counts[i], counts[i], 0));
        }
        long total = windows.stream().mapToLong(WindowCount::admitted).sum();
        return new HostStats(name, "http://" + name, total, total, total, 0, 0, 0, 20, 20, Map.of(), windows);
    }
}
