package io.sluice.bench.grpc;

import java.util.Arrays;

/** Percentiles of latencies in nanoseconds, in milliseconds; NaN when there are none. */
final class Latencies {

    private Latencies() {
    }

    static double p50(long[] nanos) {
        return percentile(nanos, 0.50);
    }

    static double p99(long[] nanos) {
        return percentile(nanos, 0.99);
    }

    private static double percentile(long[] nanos, double p) {
        if (nanos.length == 0) return Double.NaN;
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }
}
