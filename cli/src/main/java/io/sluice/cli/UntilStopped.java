package io.sluice.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs a service loop (the resolver, a sink) until Ctrl-C or SIGTERM, printing a status line every
 * {@code interval}: the first signal closes the service and waits for its loop to end (exit 0); a loop
 * that ends by itself with an exception makes the command fail with it (exit 1). A shutdown hook
 * closes the service too, for exits that bypass the signal handler.
 */
final class UntilStopped {

    private UntilStopped() {
    }

    static int run(String name, Runnable loop, AutoCloseable service, Supplier<String> status, PrintWriter err,
                   Duration interval) throws Exception {
        StopSignals stop = StopSignals.install(err);
        stop.closing(name);
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread loopThread = new Thread(() -> {
            try {
                loop.run();
                running.complete(null);
            } catch (RuntimeException e) {
                running.completeExceptionally(e);
            }
        }, "sluice-" + name);
        Runnable close = () -> {
            try {
                service.close();
            } catch (Exception e) {
                err.println(name + ": closing failed: " + e);
            }
        };
        Thread hook = new Thread(close, "sluice-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Thread.ofVirtual().name("sluice-" + name + "-stop").start(() -> {
            try {
                stop.await();
                err.println(name + ": stopping ...");
                err.flush();
                close.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loopThread.start();
        err.println(name + ": running, Ctrl-C to stop");
        err.flush();
        try {
            while (true) {
                try {
                    running.get(interval.toMillis(), TimeUnit.MILLISECONDS);
                    err.println(name + ": stopped; " + status.get());
                    return 0;
                } catch (TimeoutException e) {
                    err.println(name + ": " + status.get());
                    err.flush();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            close.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownInProgress) {
                // the hook is running or has run; close is idempotent
            }
            err.flush();
        }
    }
}
