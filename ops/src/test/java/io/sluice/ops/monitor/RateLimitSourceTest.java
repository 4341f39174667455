package io.sluice.ops.monitor;

import io.sluice.backfill.ratelimit.RateLimiterApp.HostView;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.PrometheusText;
import io.sluice.ops.metrics.RateLimitHostMetrics;
import io.sluice.ops.monitor.MonitorState.HostRate;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitSourceTest {

    @Test
    void readsBackWhatTheLimitersGaugesServeBusiestFirst() {
        List<HostView> hosts = List.of(new HostView("a.example", 1, 4, 20, 0),
                new HostView("b.example", 9, 0, 10, 1_800_000_000_000L));
        try (ComponentMetrics metrics = new ComponentMetrics("ratelimiter")) {
            RateLimitHostMetrics gauges = metrics.bind(new RateLimitHostMetrics(() -> hosts));
            metrics.beforeScrape(gauges::refresh);
            assertThat(RateLimitSource.fromSamples(PrometheusText.parse(metrics.scrape()))).containsExactly(
                    new HostRate("b.example", 9, 0, 10, 1_800_000_000L),
                    new HostRate("a.example", 1, 4, 20, 0));
        }
    }

    @Test
    void inProcessGivesTheSameViewInSecondsBusiestFirst() throws Exception {
        List<HostView> hosts = List.of(new HostView("a.example", 1, 4, 20, 0),
                new HostView("b.example", 9, 0, 10, 1_800_000_000_500L));
        assertThat(RateLimitSource.inProcess(() -> hosts).hosts()).containsExactly(
                new HostRate("b.example", 9, 0, 10, 1_800_000_000L),
                new HostRate("a.example", 1, 4, 20, 0));
    }
}
