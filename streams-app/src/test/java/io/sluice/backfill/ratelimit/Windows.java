package io.sluice.backfill.ratelimit;

import java.util.List;

/** Window arithmetic over release instants, for assertions. */
public final class Windows {

    private Windows() {
    }

    /** The most instants of {@code sorted} in any half-open interval of length {@code length}. */
    public static int maxInAnyWindow(List<Long> sorted, long length) {
        int best = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (sorted.get(end) - sorted.get(start) >= length) start++;
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    /** The most instants of {@code sorted} in any fixed window {@code [k*length, (k+1)*length)} aligned to the epoch. */
    public static int maxInAnyFixedWindow(List<Long> sorted, long length) {
        int best = 0;
        int count = 0;
        long current = Long.MIN_VALUE;
        for (long t : sorted) {
            long k = Math.floorDiv(t, length);
            count = k == current ? count + 1 : 1;
            current = k;
            best = Math.max(best, count);
        }
        return best;
    }
}
