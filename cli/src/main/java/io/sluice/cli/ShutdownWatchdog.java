package io.sluice.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Bounds a shutdown: started when the stop request arrives, it halts the JVM with {@link #EXIT_CODE}
 * after {@code deadline}, naming what was still closing, unless the process has exited by then. A close
 * that hangs (a broker's controlled shutdown with no controller, a client stuck on an unreachable
 * cluster) would otherwise keep a stopped command alive for minutes.
 */
public final class ShutdownWatchdog {

    /** As {@code timeout(1)} reports a command that ran out of time. */
    public static final int EXIT_CODE = 124;

    /** How long a command may take to close its clients and the embedded stack after a stop request. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private ShutdownWatchdog() {
    }

    /**
     * Starts the watchdog as a daemon thread (it never keeps the JVM alive by itself).
     *
     * @param closing what is being closed at the moment, read when the deadline passes
     */
    public static Thread start(Supplier<String> closing, Duration deadline, PrintWriter err, IntConsumer halt) {
        return Thread.ofPlatform().daemon().name("sluice-shutdown-watchdog").start(() -> {
            try {
                Thread.sleep(deadline);
            } catch (InterruptedException cancelled) {
                return;
            }
            err.println("sluice: still closing " + closing.get() + " " + deadline.toSeconds()
                    + " s after shutdown began; halting with exit code " + EXIT_CODE);
            err.flush();
            halt.accept(EXIT_CODE);
        });
    }
}
