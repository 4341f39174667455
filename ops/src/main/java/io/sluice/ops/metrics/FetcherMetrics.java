package io.sluice.ops.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sluice.backfill.fetch.FetcherStats;

import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The fetcher's {@link FetcherStats} as counters: the stats stay the one place that counts. Read through
 * a supplier, so a fetcher restarted in the same process (a new instance, new stats) is what is shown.
 * The counters read through this binder, which {@link ComponentMetrics#bind} holds strongly (Micrometer
 * holds a function counter's object weakly: a lambda passed as that object is gone at the first GC).
 */
public record FetcherMetrics(Supplier<FetcherStats> stats) implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        counter(registry, "sluice.fetcher.repos.done", "repositories fully produced", FetcherStats.Snapshot::done);
        counter(registry, "sluice.fetcher.repos.partial", "repositories stored without some of their records",
                FetcherStats.Snapshot::partial);
        counter(registry, "sluice.fetcher.repos.unchanged", "repositories still at the stored revision, not downloaded",
                FetcherStats.Snapshot::unchanged);
        counter(registry, "sluice.fetcher.repos.changed", "stored repositories at a new revision, sent back for a download",
                FetcherStats.Snapshot::changed);
        counter(registry, "sluice.fetcher.records.dead.lettered", "records of stored repositories not produced",
                FetcherStats.Snapshot::recordsDeadLettered);
        counter(registry, "sluice.fetcher.tasks.dead.lettered", "tasks sent to the DLQ", FetcherStats.Snapshot::failed);
        counter(registry, "sluice.fetcher.retries", "tasks sent back to the limiter after a failed attempt", FetcherStats.Snapshot::retried);
        counter(registry, "sluice.fetcher.tasks.expired", "tasks sent back unfetched, past their deadline", FetcherStats.Snapshot::expired);
        counter(registry, "sluice.fetcher.throttled", "429 responses", FetcherStats.Snapshot::throttled);
        counter(registry, "sluice.fetcher.records.out", "RepoRecords produced", FetcherStats.Snapshot::records);
        FunctionCounter.builder("sluice.fetcher.downloaded", this, m -> m.stats().get().snapshot().bytes()).baseUnit("bytes")
                .description("CAR bytes downloaded by successful attempts").register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToLongFunction<FetcherStats.Snapshot> value) {
        FunctionCounter.builder(name, this, m -> value.applyAsLong(m.stats().get().snapshot())).description(description).register(registry);
    }
}
