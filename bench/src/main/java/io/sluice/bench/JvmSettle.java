package io.sluice.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Lets the JVM finish what earlier runs started before a measured run begins: the JIT's queued
 * compilations (on a busy 2-core machine the compiler threads can still be working through a warm-up's
 * queue seconds after it ended, and their CPU would be charged to the next run) and the garbage of
 * the setup, with the run's input moved to the old generation. What the measured run itself makes the
 * JIT compile or the collector do still counts.
 */
public final class JvmSettle {

    private static final Duration QUIET = Duration.ofMillis(1_000);
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    /** Compiler time per quiet interval still taken as idle: the odd small method. */
    private static final long IDLE_COMPILE_MS = 20;

    private JvmSettle() {
    }

    /** Waits until the JIT has compiled less than 20 ms in a second (at most 30 s), then collects garbage. */
    public static void settle() throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit != null && jit.isCompilationTimeMonitoringSupported()) {
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            long before = jit.getTotalCompilationTime();
            while (System.nanoTime() < deadline) {
                Thread.sleep(QUIET.toMillis());
                long now = jit.getTotalCompilationTime();
                if (now - before < IDLE_COMPILE_MS) break;
                before = now;
            }
        }
        System.gc();
    }
}
