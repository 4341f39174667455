package io.sluice.sinks.core.internals;

import io.sluice.sinks.core.SinkCounters;

import java.util.concurrent.atomic.AtomicLong;

/** The sink's running totals: written by the loop thread, read from any thread. */
public final class Counters {

    private final AtomicLong recordsWritten = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong fenced = new AtomicLong();

    public void committed(int written, int rejected) {
        recordsWritten.addAndGet(written);
        deadLettered.addAndGet(rejected);
        batches.incrementAndGet();
    }

    public void retried() {
        retries.incrementAndGet();
    }

    public void fenced(int partitions) {
        fenced.addAndGet(partitions);
    }

    public SinkCounters snapshot() {
        return new SinkCounters(recordsWritten.get(), batches.get(), deadLettered.get(), retries.get(), fenced.get());
    }
}
