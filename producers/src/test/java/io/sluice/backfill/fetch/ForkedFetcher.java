package io.sluice.backfill.fetch;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.testing.LiveHeap;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A fetcher in a JVM of its own, for heap measurements that the test JVM (broker, registry,
 * simulator) would blur. Runs until {@code tasks} tasks are done, partial or failed, then prints
 * {@code peak_heap_mb=<n> ... done=<n> failed=<n> records=<n> partial=<n>} and exits 0.
 *
 * <p>Args: bootstrap, registry, group, fetch, records, status, retry, signals, dlq, tasks, spill dir.
 */
public final class ForkedFetcher {

    private ForkedFetcher() {
    }

    public static void main(String[] args) throws Exception {
        LiveHeap live = LiveHeap.watch();
        FetcherConfig config = FetcherConfig.builder(ConnectionSettings.plaintext(args[0], args[1])).groupId(args[2])
                .topics(new FetcherConfig.TopicSet(args[3], args[4], args[5], args[6], args[7], args[8]))
                .allowedPrivateHosts(Set.of("127.0.0.1")).spillDir(Path.of(args[10]))
                .commitInterval(Duration.ofMillis(200)).build();
        int tasks = Integer.parseInt(args[9]);
        try (FetcherApp app = FetcherApp.start(config)) {
            while (finished(app.stats().snapshot()) < tasks) {
                if (app.awaitTermination(Duration.ofMillis(200))) break;
            }
            FetcherStats.Snapshot s = app.stats().snapshot();
            System.out.println("peak_heap_mb=" + peakHeapMb() + " peak_live_heap_mb=" + live.peakMb() + " peak_rss_mb=" + LiveHeap.peakRssMb() + " done=" + s.done() + " failed=" + s.failed()
                    + " records=" + s.records() + " partial=" + s.partial());
            if (app.failure().isPresent()) {
                app.failure().get().printStackTrace(System.out);
                System.exit(1);
            }
        }
        System.exit(0);
    }

    /** Sum of the heap pools' peaks: an upper bound of the peak heap in use (the pools peak at different times). */
    static long peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) sum += pool.getPeakUsage().getUsed();
        }
        return sum >> 20;
    }

    /** Tasks that reached an outcome: DONE, PARTIAL (some records dead-lettered) or FAILED. */
    private static long finished(FetcherStats.Snapshot s) {
        return s.done() + s.partial() + s.failed();
    }
}
