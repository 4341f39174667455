package io.sluice.ops.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.backfill.ratelimit.RateLimiterApp.HostView;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The rate limiter's per-PDS-host state as gauges tagged {@code host}: queued tasks, releases available
 * now ("tokens"), the window limit, and paused-until (epoch seconds, 0 when not paused).
 *
 * <p>Cardinality is bounded: only the {@link #MAX_HOSTS} hosts with the most queued tasks get series
 * (a backfill can meet tens of thousands of PDS hosts, most of them idle at any moment); the number of
 * hosts held and the total queued over all of them are separate untagged gauges, so nothing is hidden.
 * Refreshed by {@link #refresh()} before each scrape; a host that drops out loses its series.
 */
public final class RateLimitHostMetrics implements MeterBinder {

    public static final int MAX_HOSTS = 50;
    public static final String QUEUED = "sluice.ratelimit.host.queued";
    public static final String AVAILABLE = "sluice.ratelimit.host.available";
    public static final String LIMIT = "sluice.ratelimit.host.limit";
    public static final String PAUSED_UNTIL = "sluice.ratelimit.host.paused.until";

    private final Supplier<List<HostView>> hosts;
    private final AtomicInteger hostCount = new AtomicInteger();
    private final AtomicLong queuedTotal = new AtomicLong();
    private MultiGauge queued;
    private MultiGauge available;
    private MultiGauge limit;
    private MultiGauge pausedUntil;

    public RateLimitHostMetrics(Supplier<List<HostView>> hosts) {
        this.hosts = hosts;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        queued = MultiGauge.builder(QUEUED).description("tasks waiting for a release, per host").register(registry);
        available = MultiGauge.builder(AVAILABLE).description("releases allowed right now, per host").register(registry);
        limit = MultiGauge.builder(LIMIT).description("requests allowed per window, per host").register(registry);
        pausedUntil = MultiGauge.builder(PAUSED_UNTIL).baseUnit("seconds")
                .description("epoch seconds until which releases are paused after 429s, 0 if not").register(registry);
        Gauge.builder("sluice.ratelimit.hosts", hostCount, AtomicInteger::get)
                .description("PDS hosts the limiter holds state for (all of them, not only the tagged ones)").register(registry);
        Gauge.builder("sluice.ratelimit.queued", queuedTotal, AtomicLong::get)
                .description("tasks waiting for a release, all hosts").register(registry);
    }

    /** Reads the limiter's hosts and replaces the tagged series with the busiest {@link #MAX_HOSTS}. */
    public synchronized void refresh() {
        List<HostView> all = hosts.get();
        hostCount.set(all.size());
        queuedTotal.set(all.stream().mapToLong(HostView::queued).sum());
        List<HostView> top = all.stream().sorted(Comparator.comparingLong(HostView::queued).reversed()
                .thenComparing(HostView::host)).limit(MAX_HOSTS).toList();
        register(queued, top, HostView::queued);
        register(available, top, HostView::available);
        register(limit, top, HostView::limit);
        register(pausedUntil, top, h -> h.pausedUntilMs() / 1000.0);
    }

    private static void register(MultiGauge gauge, List<HostView> hosts, ToDoubleFunction<HostView> value) {
        gauge.register(hosts.stream().map(h -> MultiGauge.Row.of(Tags.of("host", h.host()), value.applyAsDouble(h)))
                .toList(), true);
    }
}
