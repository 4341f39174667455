package io.sluice.backfill.atproto.store;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap bytes that all {@link BlockStore}s sharing it may hold, for block bytes and their indexes
 * alike, so that the bound holds however many repositories are open at once and however large or
 * numerous their blocks are. A store that is refused more spills to disk instead of waiting: one
 * download never blocks on another one's memory. Thread-safe.
 */
public final class MemoryBudget {

    private final long capacity;
    private final AtomicLong available;

    public MemoryBudget(long capacity) {
        if (capacity < 0) throw new IllegalArgumentException("memory budget must not be negative, got " + capacity);
        this.capacity = capacity;
        this.available = new AtomicLong(capacity);
    }

    /**
     * A quarter of the maximum heap, at most 128 MiB: the rest of the heap holds what is built from
     * the blocks (records, their JSON, a producer's buffer) and the clients.
     */
    public static long defaultCapacity() {
        return Math.min(128L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4);
    }

    /** Takes {@code bytes} if that many are free; never blocks. */
    public boolean tryReserve(long bytes) {
        long now;
        do {
            now = available.get();
            if (now < bytes) return false;
        } while (!available.compareAndSet(now, now - bytes));
        return true;
    }

    public void release(long bytes) {
        long after = available.addAndGet(bytes);
        if (after > capacity) throw new IllegalStateException("released more than reserved: " + after + " > " + capacity);
    }

    public long capacity() {
        return capacity;
    }

    public long available() {
        return available.get();
    }
}
