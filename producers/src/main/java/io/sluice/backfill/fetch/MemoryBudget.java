package io.sluice.backfill.fetch;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes that all concurrent downloads of one fetcher may hold as CAR blocks, shared so that
 * the bound holds however many repositories are in flight and however large they are. A
 * {@link BlockStore} that is refused more spills to disk instead of waiting: a download never
 * blocks on another one's memory. Thread-safe.
 */
final class MemoryBudget {

    private final long capacity;
    private final AtomicLong available;

    MemoryBudget(long capacity) {
        if (capacity < 0) throw new IllegalArgumentException("memory budget must not be negative, got " + capacity);
        this.capacity = capacity;
        this.available = new AtomicLong(capacity);
    }

    /** Takes {@code bytes} if that many are free; never blocks. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = available.get();
            if (now < bytes) return false;
        } while (!available.compareAndSet(now, now - bytes));
        return true;
    }

    void release(long bytes) {
        long after = available.addAndGet(bytes);
        if (after > capacity) throw new IllegalStateException("released more than reserved: " + after + " > " + capacity);
    }

    long capacity() {
        return capacity;
    }

    long available() {
        return available.get();
    }
}
