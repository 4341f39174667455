package io.sluice.backfill.ratelimit;

import java.util.Arrays;

/**
 * The recent releases of one host: (instant, count) entries in ascending instant order, from which
 * {@link WindowLimiter} counts the releases inside a sliding window.
 *
 * <p>Guarantee: every release is recorded at an instant no earlier than when it really happened, so
 * a count over {@code (t, +inf)} never under-counts. That is what lets the log stay small: entries
 * sit on a grid of {@code granularity} ms, instants rounded up. The grid starts at 1 ms (exact);
 * when more than {@code maxEntries} entries are needed it doubles and every entry moves up to the
 * coarser grid, merging those that meet. Rounding up can only over-count, by less than one grid
 * step, i.e. it errs on the safe side and costs at most {@code granularity / horizon} of the rate
 * (a 20/s log stays exact; a 3000/300s log settles on a 2 s grid, under 0.7%). Once the log has
 * emptied out it returns to 1 ms. Releases recorded before the newest entry (a clock stepping back)
 * are added to the newest entry. Pure and not thread-safe.
 */
public final class ReleaseLog {

    public static final int DEFAULT_MAX_ENTRIES = 256;

    private final int maxEntries;
    private long granularity = 1;
    private long[] instants;
    private int[] counts;
    private int size;

    public ReleaseLog(int maxEntries) {
        if (maxEntries < 2) throw new IllegalArgumentException("a release log needs at least 2 entries, got " + maxEntries);
        this.maxEntries = maxEntries;
        this.instants = new long[Math.min(maxEntries + 1, 16)];
        this.counts = new int[instants.length];
    }

    public ReleaseLog() {
        this(DEFAULT_MAX_ENTRIES);
    }

    /** A log to restore persisted entries into, with {@link #record}, oldest first. */
    public static ReleaseLog restoring(int maxEntries, long granularity) {
        if (granularity < 1) throw new IllegalArgumentException("granularity must be >= 1 ms, got " + granularity);
        ReleaseLog log = new ReleaseLog(maxEntries);
        log.granularity = granularity;
        return log;
    }

    /** Records {@code n} releases at {@code at} (epoch ms). */
    public void record(long at, int n) {
        if (n < 0) throw new IllegalArgumentException("negative release count " + n);
        if (n == 0) return;
        long slot = roundUp(at, granularity);
        if (size > 0 && slot <= instants[size - 1]) {
            counts[size - 1] = Math.addExact(counts[size - 1], n);
            return;
        }
        if (size == instants.length) grow();
        instants[size] = slot;
        counts[size] = n;
        size++;
        while (size > maxEntries) coarsen();
    }
    /** Releases recorded at an instant strictly after {@code instant}. */
    public int countAfter(long instant) {
        int total = 0;
        for (int i = size - 1; i >= 0 && instants[i] > instant; i--) total += counts[i];
        return total;
    }

    /** Releases recorded at or after {@code instant}. */
    public int countSince(long instant) {
        return countAfter(instant - 1);
    }

    /** Forgets the releases recorded at or before {@code instant}: they can no longer share a window with now. */
    public void forgetUpTo(long instant) {
        int drop = 0;
        while (drop < size && instants[drop] <= instant) drop++;
        if (drop == 0) return;
        System.arraycopy(instants, drop, instants, 0, size - drop);
        System.arraycopy(counts, drop, counts, 0, size - drop);
        size -= drop;
        if (size == 0) granularity = 1;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int size() {
        return size;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** The grid, in ms, that entries are rounded up to. */
    public long granularity() {
        return granularity;
    }

    /** The instant of entry {@code i}, oldest first (for serialization). */
    public long instantAt(int i) {
        checkIndex(i);
        return instants[i];
    }

    /** The release count of entry {@code i}, oldest first (for serialization). */
    public int countAt(int i) {
        checkIndex(i);
        return counts[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("entry " + i + " of " + size);
    }

    private void grow() {
        int capacity = Math.min(maxEntries + 1, instants.length * 2);
        instants = Arrays.copyOf(instants, capacity);
        counts = Arrays.copyOf(counts, capacity);
    }

    private void coarsen() {
        granularity = Math.multiplyExact(granularity, 2);
        int kept = 0;
        for (int i = 0; i < size; i++) {
            long slot = roundUp(instants[i], granularity);
            if (kept > 0 && instants[kept - 1] == slot) {
                counts[kept - 1] = Math.addExact(counts[kept - 1], counts[i]);
            } else {
                instants[kept] = slot;
                counts[kept] = counts[i];
                kept++;
            }
        }
        size = kept;
    }

    private static long roundUp(long instant, long step) {
        return Math.floorDiv(instant + step - 1, step) * step;
    }
}
