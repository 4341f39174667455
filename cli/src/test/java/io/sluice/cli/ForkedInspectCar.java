package io.sluice.cli;

import io.sluice.testing.LiveHeap;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * {@code sluice ARGS} in a JVM of its own, for heap measurements that the test JVM would blur:
 * runs the command line as {@link Sluice#main} does, then prints
 * {@code peak_live_heap_mb=<n> peak_heap_mb=<n> peak_rss_mb=<n> seconds=<s>} to stderr and exits with the
 * command's code.
 */
public final class ForkedInspectCar {

    private ForkedInspectCar() {
    }

    public static void main(String[] args) {
        LiveHeap live = LiveHeap.watch();
        FatalErrors.install();
        long start = System.nanoTime();
        int code = Sluice.commandLine().execute(args);
        System.out.flush();
        long pools = 0; // the pools' peaks summed: an upper bound, as they peak at different times
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) pools += pool.getPeakUsage().getUsed();
        }
        System.err.printf("peak_live_heap_mb=%d peak_heap_mb=%d peak_rss_mb=%d seconds=%.1f%n", live.peakMb(), pools >> 20,
                LiveHeap.peakRssMb(), (System.nanoTime() - start) / 1e9);
        System.exit(code);
    }
}
