package io.sluice.cli.etl;

import io.sluice.cli.StopSignals;
import org.apache.kafka.streams.KafkaStreams;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs a long-lived service the way {@code sluice stack} does: until the first Ctrl-C or SIGTERM, or
 * until the service reports that it has failed, then closes it once (a shutdown hook closes it too, for
 * exits that bypass the stop signal). The command exits 0 after a requested stop and fails, naming the
 * reason, when the service died on its own.
 */
public final class UntilStopped {

    private static final long CHECK_EVERY_MS = 500;

    private UntilStopped() {
    }

    /**
     * @param stop    installed before the service started, so a Ctrl-C during start-up counts
     * @param service closed exactly once, whatever happens
     * @param failure why the service stopped on its own, empty while it runs; checked twice a second
     * @throws IllegalStateException that failure, after closing the service
     */
    public static void await(StopSignals stop, AutoCloseable service, Supplier<Optional<IllegalStateException>> failure, PrintWriter err)
            throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    service.close();
                } catch (Exception e) {
                    err.println("closing failed: " + e);
                }
            }
        };
        Thread hook = new Thread(close, "sluice-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        CountDownLatch stopRequested = new CountDownLatch(1);
        Thread waiter = Thread.ofVirtual().name("sluice-stop-waiter").start(() -> {
            try {
                stop.await();
                stopRequested.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Optional<IllegalStateException> failed = Optional.empty();
        try {
            while (!stopRequested.await(CHECK_EVERY_MS, TimeUnit.MILLISECONDS)) {
                failed = failure.get();
                if (failed.isPresent()) break;
            }
            err.println(failed.isPresent() ? "stopping: " + failed.get().getMessage() : "stopping ...");
            err.flush();
        } finally {
            waiter.interrupt();
            close.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shutdownInProgress) {
                // the hook is running or has run; close is idempotent
            }
        }
        if (failed.isPresent()) throw failed.get();
    }

    /** Why a Kafka Streams application in {@code state} has stopped on its own; empty while it runs or starts. */
    public static Optional<IllegalStateException> streamsFailure(KafkaStreams.State state) {
        return switch (state) {
            case ERROR, NOT_RUNNING, PENDING_ERROR -> Optional.of(new IllegalStateException("the Streams application is " + state
                    + " (its stream threads died; the log above says why)"));
            default -> Optional.empty();
        };
    }
}
