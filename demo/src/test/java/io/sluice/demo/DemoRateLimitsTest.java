package io.sluice.demo;

import io.sluice.backfill.ratelimit.RateLimiterApp.HostView;
import io.sluice.ops.monitor.MonitorConfig;
import io.sluice.ops.monitor.MonitorState.HostRate;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackEndpoints;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DemoRateLimitsTest {

    private static final PostgresEndpoint DB = new PostgresEndpoint("jdbc:postgresql://127.0.0.1:5432/sluice_demo_ab12", "postgres", "");

    @Test
    void theDemosMonitorReadsItsRateLimitTableFromTheDemosLimiter() {
        DemoRateLimits rateLimits = new DemoRateLimits();
        MonitorConfig config = DemoMonitor.config(new StackEndpoints("127.0.0.1:9092", "http://127.0.0.1:8081", DB),
                DB, new DemoNames("ab12", false), rateLimits);
        assertThat(config.rateLimits()).as("a source, so the page never says 'no rate limiter source'").containsSame(rateLimits);
    }

    @Test
    void beforeTheBackfillStartsTheTableIsEmptyNotMissing() {
        assertThat(new DemoRateLimits().hosts()).isNotNull().isEmpty();
    }

    @Test
    void whileShownTheTableIsTheLimitersLiveStateBusiestFirst() {
        DemoRateLimits rateLimits = new DemoRateLimits();
        List<HostView> live = new ArrayList<>(List.of(new HostView("a.example", 1, 4, 20, 0)));
        try (DemoRateLimits.Showing shown = rateLimits.show(() -> List.copyOf(live))) {
            assertThat(rateLimits.hosts()).containsExactly(new HostRate("a.example", 1, 4, 20, 0));
            live.add(new HostView("b.example", 9, 0, 20, 1_800_000_000_000L));
            assertThat(rateLimits.hosts()).containsExactly(new HostRate("b.example", 9, 0, 20, 1_800_000_000L),
                    new HostRate("a.example", 1, 4, 20, 0));
        }
    }

    @Test
    void afterTheLimiterStopsTheTableKeepsItsLastState() {
        DemoRateLimits rateLimits = new DemoRateLimits();
        List<HostView> live = new ArrayList<>(List.of(new HostView("a.example", 3, 2, 20, 0)));
        DemoRateLimits.Showing shown = rateLimits.show(() -> List.copyOf(live));
        shown.close();
        live.clear(); // the limiter is gone: reading it again would give nothing
        assertThat(rateLimits.hosts()).containsExactly(new HostRate("a.example", 3, 2, 20, 0));
    }

    @Test
    void oneLimiterAtATime() {
        DemoRateLimits rateLimits = new DemoRateLimits();
        try (DemoRateLimits.Showing shown = rateLimits.show(List::of)) {
            assertThatThrownBy(() -> rateLimits.show(List::of)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already shown");
        }
        rateLimits.show(List::of).close(); // free again once closed
    }
}
