package io.sluice.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;

/**
 * The peak of this JVM's used heap while a measured run goes on, sampled every 5 ms by a thread of
 * its own from {@link #start()} to {@link #stopMb()}. The embedded broker lives in the same JVM, so
 * its heap is included; the registry and PostgreSQL are other processes. Used heap includes garbage
 * not yet collected, so the number depends on the collector and the heap size as much as on sluice;
 * {@link #afterGcMb()} is the other bound: the most the heap pools held right after a collection.
 */
public final class HeapPeak {

    private static final long SAMPLE_EVERY_MS = 5;

    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).toList();
    private volatile long peak;
    private volatile long peakAfterGc;
    private volatile boolean running;
    private Thread sampler;

    public static HeapPeak start() {
        HeapPeak heap = new HeapPeak();
        heap.running = true;
        heap.sample();
        heap.sampler = Thread.ofPlatform().daemon().name("bench-heap-sampler").start(() -> {
            while (heap.running) {
                heap.sample();
                try {
                    Thread.sleep(SAMPLE_EVERY_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return heap;
    }

    /** Stops sampling; the peak in MiB. */
    public double stopMb() {
        running = false;
        sampler.interrupt();
        sample();
        return peak / (1024.0 * 1024.0);
    }

    /** The most the heap pools held right after a collection while sampling, in MiB: close to the live set. */
    public double afterGcMb() {
        return peakAfterGc / (1024.0 * 1024.0);
    }

    private void sample() {
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peak) peak = used;
        long afterGc = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage u = pool.getCollectionUsage();
            if (u != null) afterGc += u.getUsed();
        }
        if (afterGc > peakAfterGc) peakAfterGc = afterGc;
    }
}
