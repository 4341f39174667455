package io.sluice.backfill.fetch;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ends response bodies that stall or trickle. {@code HttpRequest.timeout} only covers the wait for
 * the response headers; a body read through {@code BodyHandlers.ofInputStream()} blocks for as long
 * as the PDS keeps the connection open. One daemon thread checks every watched body a few times a
 * second and, for one idle longer than the idle timeout or running longer than the body timeout,
 * interrupts the reading thread, which makes the blocked read throw. A watch that fired cannot be
 * finished, and one that finished cannot fire, so an interrupt never lands on work after the body.
 */
final class BodyWatchdog implements AutoCloseable {

    private static final int READING = 0;
    private static final int FINISHED = 1;
    private static final int FIRED = 2;

    private final long idleNanos;
    private final long bodyNanos;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;

    BodyWatchdog(Duration idleTimeout, Duration bodyTimeout) {
        this.idleNanos = idleTimeout.toNanos();
        this.bodyNanos = bodyTimeout.toNanos();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-fetcher-watchdog");
            t.setDaemon(true);
            return t;
        });
        long tick = Math.max(10, Math.min(250, idleTimeout.toMillis() / 4));
        timer.scheduleWithFixedDelay(this::check, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** Watches the current thread's read of {@code body}; read through {@link Watch#stream()}. */
    Watch watch(InputStream body) {
        Watch w = new Watch(Thread.currentThread(), body);
        watches.add(w);
        return w;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void check() {
        long now = System.nanoTime();
        for (Watch w : watches) {
            if (now - w.lastProgress > idleNanos || now - w.started > bodyNanos) w.fire();
        }
    }

    /** One body being read. */
    final class Watch implements AutoCloseable {
        private final Thread reader;
        private final InputStream stream;
        private final AtomicInteger state = new AtomicInteger(READING);
        private final long started = System.nanoTime();
        private volatile long lastProgress = started;
        private long bytes;

        private Watch(Thread reader, InputStream body) {
            this.reader = reader;
            this.stream = new FilterInputStream(body) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) progress(1);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) progress(n);
                    return n;
                }
            };
        }

        InputStream stream() {
            return stream;
        }

        /** Bytes read so far. */
        long bytes() {
            return bytes;
        }

        /** Ends the watch; false when it had fired (the body timed out). */
        boolean finish() {
            watches.remove(this);
            return state.compareAndSet(READING, FINISHED) || state.get() == FINISHED;
        }

        boolean fired() {
            return state.get() == FIRED;
        }

        @Override
        public void close() {
            // A watch that fired leaves the interrupt for the reader; clear it so it does not leak
            // into the rest of the task.
            if (!finish() && Thread.currentThread() == reader) Thread.interrupted();
        }

        private void progress(int n) {
            bytes += n;
            lastProgress = System.nanoTime();
        }

        private void fire() {
            if (state.compareAndSet(READING, FIRED)) {
                watches.remove(this);
                reader.interrupt();
            }
        }
    }
}
