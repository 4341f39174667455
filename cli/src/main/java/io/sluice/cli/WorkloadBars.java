package io.sluice.cli;

import io.sluice.demo.Demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Shows the progress of several workloads on stderr: one bar per workload, redrawn in place on a
 * terminal; else one plain line for all of them every {@link ProgressDisplay#LINE_INTERVAL}, and
 * one when a workload ends, which logs and CI output can keep.
 */
final class WorkloadBars {

    private final PrintWriter err;
    private final boolean interactive;
    private int drawnLines;
    private long nextLine = System.nanoTime() + ProgressDisplay.LINE_INTERVAL.toNanos();
    private long lastEnded;

    WorkloadBars(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    /** Bars when stdin/stdout belong to a terminal ({@code System.console() != null}). */
    static WorkloadBars forTerminal(PrintWriter err) {
        return new WorkloadBars(err, System.console() != null);
    }

    /** How often to redraw: often on a terminal, where a person watches. */
    Duration interval() {
        return interactive ? Duration.ofMillis(250) : Duration.ofSeconds(1);
    }

    void show(List<Demo.Progress> progress) {
        if (interactive) {
            // Back to the first bar's line (CSI n F), then each line redrawn and cleared to its end.
            if (drawnLines > 0) err.print("\u001b[" + drawnLines + "F");
            for (Demo.Progress p : progress) err.print(line(p) + "\u001b[K\n");
            drawnLines = progress.size();
            err.flush();
            return;
        }
        long ended = progress.stream().filter(WorkloadBars::ended).count();
        long now = System.nanoTime();
        if (now >= nextLine || ended != lastEnded) {
            err.println("demo: " + progress.stream().map(WorkloadBars::brief).collect(Collectors.joining(", ")));
            err.flush();
            nextLine = now + ProgressDisplay.LINE_INTERVAL.toNanos();
            lastEnded = ended;
        }
    }

    static String line(Demo.Progress p) {
        return String.format(Locale.ROOT, "%-9s %s  %,d/%,d %s  %5.1f s%s", p.workload(), ProgressDisplay.bar(p.fraction()),
                p.done(), p.total(), p.unit(), p.seconds(), suffix(p.state()));
    }

    private static String brief(Demo.Progress p) {
        return String.format(Locale.ROOT, "%s %,d/%,d %s %.0f s%s", p.workload(), p.done(), p.total(), p.unit(), p.seconds(),
                suffix(p.state()));
    }

    private static String suffix(Demo.State state) {
        return switch (state) {
            case WAITING -> " (waiting)";
            case RUNNING -> "";
            case DONE -> " done";
            case FAILED -> " FAILED";
        };
    }

    private static boolean ended(Demo.Progress p) {
        return p.state() == Demo.State.DONE || p.state() == Demo.State.FAILED;
    }
}
