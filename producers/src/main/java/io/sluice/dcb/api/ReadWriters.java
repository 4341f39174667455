package io.sluice.dcb.api;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Writes streamed reads so that they cannot crowd out appends.
 * <ul>
 *   <li>Each is written on a platform thread of its own while the exchange's virtual thread waits.
 *       A read is long and busy (cursor rows into JSON), and a virtual thread yields its carrier
 *       only when it blocks: a few such reads held all the carriers (one per core), and appends
 *       queued behind them for up to 1.2 s. Their number is bounded by the read connections
 *       ({@link DcbApiConfig#readPoolSize()}), since a read holds one while it streams.</li>
 *   <li>Past its first {@value #FREE_BYTES} bytes, an answer takes turns: it produces its next chunk
 *       only while it holds one of {@code turns} permits, given back while the chunk goes to the client.
 *       So 16 whole-table reads use at most {@code turns} cores between them (with their PostgreSQL
 *       cursors), and an append finds a core free; a page of ordinary size never waits.</li>
 * </ul>
 */
final class ReadWriters implements AutoCloseable {

    static final long FREE_BYTES = 1 << 20;

    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().name("sluice-dcb-read-", 0).daemon(true).factory());
    private final Semaphore turns;

    /** @param turns how many long answers produce at once: half the cores leaves the rest to appends */
    ReadWriters(int turns) {
        if (turns < 1) throw new IllegalArgumentException("turns must be at least 1, got " + turns);
        this.turns = new Semaphore(turns, true);
    }

    /** Half the cores, at least one. */
    static int defaultTurns() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    /** Runs {@code stream.writeTo(out)} on a platform thread and waits for it; interrupted, it interrupts the writer. */
    void write(JsonHandler.Stream stream, OutputStream out) throws Exception {
        Future<Void> writing = threads.submit(() -> {
            try (TakingTurns turnTaking = new TakingTurns(out)) {
                stream.writeTo(turnTaking);
            }
            return null;
        });
        try {
            writing.get();
        } catch (InterruptedException e) {
            writing.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception failure) throw failure;
            if (e.getCause() instanceof Error error) throw error;
            throw e;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    /** The answer's stream: past {@link #FREE_BYTES}, produces only while holding a turn; closing gives it back (not the target). */
    private final class TakingTurns extends OutputStream {

        private final OutputStream target;
        private long written;
        private boolean holding;

        TakingTurns(OutputStream target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            giveBack(); // a slow client is waited for without a turn
            target.write(b, off, len);
            written += len;
            if (written > FREE_BYTES) {
                try {
                    turns.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("the read was stopped while waiting for its turn");
                }
                holding = true;
            }
        }

        @Override
        public void flush() throws IOException {
            target.flush();
        }

        @Override
        public void close() {
            giveBack();
        }

        private void giveBack() {
            if (holding) {
                holding = false;
                turns.release();
            }
        }
    }
}
