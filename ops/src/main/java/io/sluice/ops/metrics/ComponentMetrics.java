package io.sluice.ops.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meters of one sluice process: a Prometheus registry whose every meter carries the tag
 * {@code component} (resolver, records-sink, ...), with the JVM binders (memory, GC, threads, CPU,
 * class loading) already bound. Components record into {@link #registry()}; binders given to
 * {@link #bind} are closed with this object. {@link #scrape()} is the Prometheus text format.
 */
public final class ComponentMetrics implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ComponentMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Deque<AutoCloseable> owned = new ArrayDeque<>();
    /**
     * Every binder bound, held for as long as these meters: Micrometer's function counters and gauges
     * hold their source object weakly, so a binder's source reachable only from the meter is collected
     * at the next GC and its counters read 0 (or NaN) from then on.
     */
    private final List<MeterBinder> bound = new ArrayList<>();
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    public ComponentMetrics(String component) {
        registry.config().commonTags("component", component);
        for (MeterBinder jvm : List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(),
                new ProcessorMetrics(), new ClassLoaderMetrics())) {
            bind(jvm);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** Binds {@code binder}; if it is {@link AutoCloseable} it is closed with this object. */
    public synchronized <B extends MeterBinder> B bind(B binder) {
        binder.bindTo(registry);
        bound.add(binder);
        if (binder instanceof AutoCloseable c) owned.push(c);
        return binder;
    }

    /** Closes {@code resource} (a server serving these meters) first when this object closes. */
    public synchronized void closeWith(AutoCloseable resource) {
        owned.push(resource);
    }

    /** Runs {@code refresh} before each scrape, for gauges whose set of series changes (per-host state). */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** All meters in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        for (Runnable r : beforeScrape) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // a failed refresh leaves the last values; the other meters are still worth serving
                log.warn("refreshing meters before a scrape failed: {}", e.toString());
            }
        }
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        while (!owned.isEmpty()) {
            try {
                owned.pop().close();
            } catch (Exception e) {
                log.warn("closing a meter binder failed: {}", e.toString());
            }
        }
        registry.close();
    }
}
