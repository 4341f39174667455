package io.sluice.dcb.decider;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * What the decider does when its stream thread dies. An error the broker returned (an
 * {@link ApiException} in the cause chain: after a broker restart a commit can meet
 * InvalidTxnStateException, which Streams does not treat as a task migration) replaces the thread:
 * the new one starts a new transaction and restores what the dead one had not committed, as after a
 * fence. Anything else is a bug or a broken store (bad input is already answered with REJECTED), and
 * replaying its command in a loop would stall every append behind it, so the client shuts down; so it
 * does when the broker's errors come again and again ({@value #MAX_REPLACEMENTS} replacements within
 * a minute), which no new thread will mend.
 */
final class DeciderFailures implements StreamsUncaughtExceptionHandler {

    static final int MAX_REPLACEMENTS = 5;
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private static final Logger log = LoggerFactory.getLogger(DeciderFailures.class);

    private final LongSupplier nanos;
    private final Deque<Long> replacements = new ArrayDeque<>();

    DeciderFailures(LongSupplier nanos) {
        this.nanos = nanos;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable e) {
        if (fromTheBroker(e)) {
            long now = nanos.getAsLong();
            while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW.toNanos()) replacements.removeFirst();
            if (replacements.size() < MAX_REPLACEMENTS) {
                replacements.addLast(now);
                log.warn("dcb decider stream thread failed on a broker error; replacing it (it restores what was not committed)", e);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
        }
        log.error("dcb decider failed; shutting the client down", e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static boolean fromTheBroker(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException) return true;
        }
        return false;
    }
}
