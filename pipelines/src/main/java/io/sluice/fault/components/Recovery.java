package io.sluice.fault.components;

import java.time.Duration;
import java.util.concurrent.Callable;

/** How long a pipeline takes, after a fault ends, to move again: a count in PostgreSQL passing its value at the fault's end. */
public final class Recovery {

    private Recovery() {
    }

    /**
     * Waits until {@code count} exceeds {@code atFaultEnd} or reaches {@code total} (nothing was left to
     * do), running {@code healthCheck} on every poll; the time since {@code faultEndNanos}.
     */
    public static Duration await(Callable<Long> count, long atFaultEnd, long total, long faultEndNanos, Runnable healthCheck,
                                 Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            healthCheck.run();
            long now = count.call();
            if (now > atFaultEnd || now >= total) return Duration.ofNanos(System.nanoTime() - faultEndNanos);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no progress within " + timeout + " after the fault: still " + now + " of " + total);
            }
            Thread.sleep(100);
        }
    }
}
