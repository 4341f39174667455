package io.sluice.ops.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.backfill.resolve.Resolver;
import io.sluice.backfill.resolve.ResolverCounters;

import java.util.function.ToLongFunction;

/**
 * The resolver's {@link ResolverCounters} as counters, read from the running resolver at each scrape,
 * through this binder, which {@link ComponentMetrics#bind} holds strongly (Micrometer holds a function
 * counter's object weakly).
 */
public record ResolverMetrics(Resolver resolver) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "sluice.resolver.records.in", "DidWorkItems read", ResolverCounters::consumed);
        counter(registry, "sluice.resolver.records.out", "DIDs resolved and produced", ResolverCounters::resolved);
        counter(registry, "sluice.resolver.records.dead.lettered", "records sent to the DLQ", ResolverCounters::failed);
        counter(registry, "sluice.resolver.cache.hits", "resolutions answered from the cache", ResolverCounters::cacheHits);
        counter(registry, "sluice.resolver.retries", "attempts repeated after a transient failure", ResolverCounters::retries);
        counter(registry, "sluice.resolver.commits", "offset commits", ResolverCounters::commits);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<ResolverCounters> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsLong(m.resolver().counters())).description(description).register(registry);
    }
}
