package io.sluice.cli;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns the first Ctrl-C (SIGINT) or SIGTERM ({@code docker stop}) into a stop request that a
 * long-running command waits for, so it shuts down in order and exits 0 rather than 130 or 143.
 * A second signal ends the process at once, for a shutdown that hangs; so does the
 * {@link ShutdownWatchdog} started by the first, when the shutdown outlasts its deadline.
 *
 * <p>{@code sun.misc.Signal} (module jdk.unsupported) is the only way in the JDK to handle a signal
 * without starting JVM shutdown. It is called reflectively, as Kafka does, because javac warns
 * about every direct use and offers no way to silence that. Where the JVM refuses a handler (with
 * {@code -Xrs}, or when the signal was ignored when the JVM started, as for background jobs of a
 * non-interactive shell) the default stays: the JVM shuts down and the command's shutdown hook
 * cleans up.
 */
public final class StopSignals {

    private static final Map<String, Integer> SIGNALS = Map.of("INT", 2, "TERM", 15);

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private final PrintWriter err;
    private final Duration shutdownDeadline;
    private volatile String closing = "the command";

    private StopSignals(PrintWriter err, Duration shutdownDeadline) {
        this.err = err;
        this.shutdownDeadline = shutdownDeadline;
    }

    public static StopSignals install(PrintWriter err) {
        return install(err, ShutdownWatchdog.DEADLINE);
    }

    static StopSignals install(PrintWriter err, Duration shutdownDeadline) {
        StopSignals signals = new StopSignals(err, shutdownDeadline);
        SIGNALS.keySet().forEach(signal -> signals.handle(signal));
        return signals;
    }

    /** Blocks until the first stop signal. */
    public void await() throws InterruptedException {
        stopRequested.await();
    }

    /** Blocks until the first stop signal or the timeout; true when a stop was requested. */
    public boolean await(Duration timeout) throws InterruptedException {
        return stopRequested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Names what the command closes after a stop, for the watchdog's message (e.g. "the embedded stack"). */
    public void closing(String what) {
        closing = what;
    }

    private void onSignal(String signal) {
        if (received.incrementAndGet() == 1) {
            ShutdownWatchdog.start(() -> closing, shutdownDeadline, err, Runtime.getRuntime()::halt);
            stopRequested.countDown();
        } else {
            err.println("SIG" + signal + " again: exiting without waiting for the shutdown to finish");
            err.flush();
            Runtime.getRuntime().halt(128 + SIGNALS.get(signal));
        }
    }

    /** {@code sun.misc.Signal.handle(new Signal(signal), s -> onSignal(signal))}. */
    private void handle(String signal) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            onSignal(signal);
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "sluice SIG" + signal + " handler";
                    });
            signalClass.getMethod("handle", signalClass, handlerClass)
                    .invoke(null, signalClass.getConstructor(String.class).newInstance(signal), handler);
        } catch (ReflectiveOperationException | RuntimeException unavailable) {
            // the JVM keeps this signal (refused, or no jdk.unsupported): default shutdown and the hook apply
        }
    }
}
