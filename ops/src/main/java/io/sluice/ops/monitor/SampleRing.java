package io.sluice.ops.monitor;

import io.sluice.ops.monitor.MonitorState.History;

/**
 * One stage's recent (time, lag, rate) samples, oldest first, in a fixed-size ring: once full, each
 * new sample drops the oldest, so memory stays bounded however long the monitor runs. Not thread-safe
 * (the sampler's thread owns it); {@link #snapshot()} is a copy others may read.
 */
final class SampleRing {

    private final long[] at;
    private final long[] lag;
    private final double[] rate;
    private int next;
    private int size;

    SampleRing(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        at = new long[capacity];
        lag = new long[capacity];
        rate = new double[capacity];
    }

    void add(long atMillis, long lagRecords, double ratePerSecond) {
        at[next] = atMillis;
        lag[next] = lagRecords;
        rate[next] = ratePerSecond;
        next = (next + 1) % at.length;
        size = Math.min(size + 1, at.length);
    }

    int size() {
        return size;
    }

    /** The samples held, oldest first. */
    History snapshot() {
        long[] a = new long[size];
        long[] l = new long[size];
        double[] r = new double[size];
        int first = (next - size + at.length) % at.length;
        for (int i = 0; i < size; i++) {
            int j = (first + i) % at.length;
            a[i] = at[j];
            l[i] = lag[j];
            r[i] = rate[j];
        }
        return new History(a, l, r);
    }
}
