package io.sluice.cli;

import io.sluice.backfill.publish.ProgressListener;
import io.sluice.backfill.publish.PublishProgress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows publish progress on stderr: a bar redrawn in place when a person is watching (a console),
 * else one plain line every {@link #LINE_INTERVAL}, which logs and CI output can keep.
 */
final class ProgressDisplay implements ProgressListener {

    static final Duration LINE_INTERVAL = Duration.ofSeconds(5);
    private static final int BAR_WIDTH = 30;

    private final PrintWriter err;
    private final boolean interactive;
    private final long start = System.nanoTime();
    private long nextLine = start + LINE_INTERVAL.toNanos();
    private boolean drawn;

    ProgressDisplay(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    /** A bar when stdin/stdout belong to a terminal ({@code System.console() != null}). */
    static ProgressDisplay forTerminal(PrintWriter err) {
        return new ProgressDisplay(err, System.console() != null);
    }

    @Override
    public void onProgress(PublishProgress p) {
        long now = System.nanoTime();
        if (interactive) {
            err.print("\r" + bar(p) + "  " + counts(p, now) + "\u001b[K");
            err.flush();
            drawn = true;
        } else if (now >= nextLine) {
            err.println("publish-dids: " + counts(p, now));
            err.flush();
            nextLine = now + LINE_INTERVAL.toNanos();
        }
    }

    /** Ends the bar's line, so what follows starts on a fresh one. */
    void finish() {
        if (drawn) {
            err.println();
            err.flush();
        }
    }

    static String bar(PublishProgress p) {
        return bar(p.fraction());
    }

    /** A bar filled to {@code f} (0..1), then the percentage; question marks when {@code f} is negative (unknown). */
    static String bar(double f) {
        if (f < 0) return "[" + "?".repeat(BAR_WIDTH) + "]     ";
        int full = (int) Math.round(f * BAR_WIDTH);
        return "[" + "#".repeat(full) + ".".repeat(BAR_WIDTH - full) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(f * 100));
    }

    private String counts(PublishProgress p, long now) {
        double seconds = Math.max(1e-3, (now - start) / 1e9);
        return String.format(Locale.ROOT, "%,d lines, %,d published, %,d duplicates, %,d invalid, %,.0f lines/s",
                p.lines(), p.published(), p.duplicates(), p.invalid(), p.lines() / seconds);
    }
}
