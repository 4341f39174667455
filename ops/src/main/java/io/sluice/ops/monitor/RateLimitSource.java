package io.sluice.ops.monitor;

import io.sluice.backfill.ratelimit.RateLimiterApp.HostView;
import io.sluice.ops.metrics.PrometheusText;
import io.sluice.ops.metrics.PrometheusText.Sample;
import io.sluice.ops.metrics.RateLimitHostMetrics;
import io.sluice.ops.monitor.MonitorState.HostRate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Where the monitor gets per-PDS-host rate-limit state. The honest source is the limiter itself: its
 * per-host gauges ({@link RateLimitHostMetrics}), scraped from its /metrics endpoint, or read in-process
 * when the limiter runs in the same JVM ({@code sluice demo}).
 */
@FunctionalInterface
public interface RateLimitSource {

    /** The hosts, busiest first. Throws if the source cannot be read now. */
    List<HostRate> hosts() throws IOException, InterruptedException;

    /** A rate limiter in this JVM (the demo's), read directly: {@code hosts} is e.g. {@code limiter::hosts}. */
    static RateLimitSource inProcess(Supplier<List<HostView>> hosts) {
        return () -> fromViews(hosts.get());
    }

    /** The monitor's view of a limiter's own host views, busiest first. */
    static List<HostRate> fromViews(List<HostView> hosts) {
        return hosts.stream()
                .map(h -> new HostRate(h.host(), h.queued(), h.available(), h.limit(), h.pausedUntilMs() / 1000))
                .sorted(Comparator.comparingLong(HostRate::queued).reversed().thenComparing(HostRate::host))
                .toList();
    }

    /** Scrapes the rate limiter's Prometheus endpoint at {@code url}. */
    static RateLimitSource fromMetrics(URI url) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return () -> {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException(url + " answered " + r.statusCode());
            return fromSamples(PrometheusText.parse(r.body()));
        };
    }

    /** The hosts in scraped samples of {@link RateLimitHostMetrics}' gauges. */
    static List<HostRate> fromSamples(List<Sample> samples) {
        Map<String, long[]> byHost = new TreeMap<>();
        String[] names = {promName(RateLimitHostMetrics.QUEUED), promName(RateLimitHostMetrics.AVAILABLE),
                promName(RateLimitHostMetrics.LIMIT), promName(RateLimitHostMetrics.PAUSED_UNTIL) + "_seconds"};
        for (Sample s : samples) {
            for (int i = 0; i < names.length; i++) {
                if (s.name().equals(names[i]) && !s.label("host").isEmpty()) {
                    byHost.computeIfAbsent(s.label("host"), h -> new long[names.length])[i] = (long) s.value();
                }
            }
        }
        return byHost.entrySet().stream()
                .map(e -> new HostRate(e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2], e.getValue()[3]))
                .sorted(Comparator.comparingLong(HostRate::queued).reversed().thenComparing(HostRate::host))
                .toList();
    }

    private static String promName(String micrometerName) {
        return micrometerName.replace('.', '_');
    }
}
