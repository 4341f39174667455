package io.sluice.testing;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most heap found in use right after a garbage collection. An upper bound of what the program
 * really holds, tighter than the pools' peaks: after a young collection the old generation still
 * counts the garbage promoted into it, which only a mixed or full collection reclaims. For the
 * forked JVMs of the memory tests (the fetcher's, inspect-car's).
 */
public final class LiveHeap {

    private final AtomicLong peak = new AtomicLong();

    private LiveHeap() {
    }

    public static LiveHeap watch() {
        LiveHeap heap = new LiveHeap();
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) heapPools.add(pool.getName());
        }
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(e.getKey())) used += e.getValue().getUsed();
                }
                heap.peak.accumulateAndGet(used, Math::max);
            }, null, null);
        }
        return heap;
    }

    public long peakMb() {
        return peak.get() >> 20;
    }

    /** This process's peak resident set (VmHWM) in MB, or -1 where /proc is not there: heap, mapped files and all. */
    public static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D", "")) >> 10;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
