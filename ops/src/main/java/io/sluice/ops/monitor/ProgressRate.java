package io.sluice.ops.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;

/**
 * The rate of a growing count (DIDs finished) over a sliding window, and the time left to reach a
 * total at that rate. A window rather than the last interval, so the ETA does not jump with every
 * sink batch. Not thread-safe.
 */
final class ProgressRate {

    private record Point(Instant at, long count) {
    }

    private final Duration window;
    private final Deque<Point> points = new ArrayDeque<>();

    ProgressRate(Duration window) {
        this.window = window;
    }

    /** Records {@code count} at {@code at}; returns the rate per second over the window (0 until two points). */
    double add(Instant at, long count) {
        points.addLast(new Point(at, count));
        // Keep the newest point that is at least a window old, so the rate always spans a whole window.
        while (points.size() > 2 && Duration.between(second().at(), at).compareTo(window) >= 0) points.removeFirst();
        Point first = points.getFirst();
        double seconds = Duration.between(first.at(), at).toNanos() / 1e9;
        if (seconds <= 0 || count < first.count()) return 0;
        return (count - first.count()) / seconds;
    }

    private Point second() {
        var it = points.iterator();
        it.next();
        return it.next();
    }

    /** Seconds to go from {@code count} to {@code total} at {@code rate}; 0 when there; empty without progress. */
    static OptionalLong eta(long count, long total, double rate) {
        if (count >= total) return OptionalLong.of(0);
        if (rate <= 0) return OptionalLong.empty();
        return OptionalLong.of((long) Math.ceil((total - count) / rate));
    }
}
