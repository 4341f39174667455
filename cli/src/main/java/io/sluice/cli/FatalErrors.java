package io.sluice.cli;

import java.io.PrintStream;
import java.util.function.IntConsumer;

/**
 * The process-wide answer to an {@link Error} (OutOfMemoryError, StackOverflowError, ...) on any thread:
 * one line on stderr naming the thread and the error, then {@link Runtime#halt} with {@link #EXIT_CODE}.
 * After an Error the heap and locks may be in any state, so an orderly shutdown can hang (a broker's
 * controlled shutdown, a client's close); halting lets a supervisor restart the process and its
 * consumer groups rebalance at once. Exceptions are left to the default behaviour (the stack trace).
 */
public final class FatalErrors implements Thread.UncaughtExceptionHandler {

    /** EX_SOFTWARE from sysexits.h: an internal error, here an Error on some thread. */
    public static final int EXIT_CODE = 70;

    private final PrintStream err;
    private final IntConsumer halt;

    FatalErrors(PrintStream err, IntConsumer halt) {
        this.err = err;
        this.halt = halt;
    }

    /** Installs the handler as the JVM's default; called once, first thing in {@link Sluice#main}. */
    public static void install() {
        Thread.setDefaultUncaughtExceptionHandler(new FatalErrors(System.err, Runtime.getRuntime()::halt));
    }

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        if (e instanceof Error) {
            try {
                err.println("sluice: fatal " + e + " on thread " + thread.getName() + "; halting with exit code " + EXIT_CODE);
                err.flush();
            } finally {
                // even when printing fails for want of heap
                halt.accept(EXIT_CODE);
            }
            return;
        }
        // what the JVM prints without a default handler (ThreadGroup's would call back here)
        err.print("Exception in thread \"" + thread.getName() + "\" ");
        e.printStackTrace(err);
    }
}
