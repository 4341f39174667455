package io.sluice.ops.metrics;

import io.sluice.backfill.ratelimit.RateLimiterApp.HostView;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitHostMetricsTest {

    @Test
    void tagsOnlyTheBusiestHostsAndCountsAll() {
        List<HostView> hosts = new ArrayList<>(IntStream.range(0, 120)
                .mapToObj(i -> new HostView("pds" + i + ".example", i, 3, 20, 0)).toList());
        hosts.add(new HostView("paused.example", 500, 0, 20, 1_700_000_000_000L));
        try (ComponentMetrics metrics = new ComponentMetrics("limiter")) {
            RateLimitHostMetrics gauges = metrics.bind(new RateLimitHostMetrics(() -> hosts));
            metrics.beforeScrape(gauges::refresh);
            List<PrometheusText.Sample> samples = PrometheusText.parse(metrics.scrape());

            List<PrometheusText.Sample> queued = PrometheusText.find(samples, "sluice_ratelimit_host_queued", Map.of());
            assertThat(queued).hasSize(RateLimitHostMetrics.MAX_HOSTS);
            assertThat(queued).extracting(s -> s.label("host")).contains("paused.example", "pds119.example")
                    .doesNotContain("pds0.example");
            assertThat(PrometheusText.single(samples, "sluice_ratelimit_host_paused_until_seconds", Map.of("host", "paused.example")))
                    .map(PrometheusText.Sample::value).contains(1_700_000_000.0);
            assertThat(PrometheusText.single(samples, "sluice_ratelimit_hosts", Map.of())).map(PrometheusText.Sample::value)
                    .contains(121.0);
            assertThat(PrometheusText.single(samples, "sluice_ratelimit_queued", Map.of())).map(PrometheusText.Sample::value)
                    .contains(500.0 + 119 * 120 / 2);
        }
    }

    @Test
    void aHostThatLeavesLosesItsSeries() {
        AtomicReference<List<HostView>> hosts = new AtomicReference<>(List.of(new HostView("gone.example", 1, 1, 5, 0)));
        try (ComponentMetrics metrics = new ComponentMetrics("limiter")) {
            RateLimitHostMetrics gauges = metrics.bind(new RateLimitHostMetrics(hosts::get));
            metrics.beforeScrape(gauges::refresh);
            assertThat(metrics.scrape()).contains("host=\"gone.example\"");
            hosts.set(List.of());
            assertThat(metrics.scrape()).doesNotContain("gone.example");
        }
    }
}
