package io.sluice.backfill.fetch;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Counts the outputs of one task that the broker has not acknowledged yet. The task registers each
 * send ({@link #callback()}) and {@link #seal()}s when it has sent its last; the completion
 * handler runs once, after the seal and the last acknowledgement, with the first send error if
 * any. That is the moment the task's input offset may be committed. Thread-safe.
 */
final class TaskAcks {

    private final AtomicInteger outstanding = new AtomicInteger(1); // the seal
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Consumer<TaskAcks> onDone;
    private final Callback callback = this::acked;

    TaskAcks(Consumer<TaskAcks> onDone) {
        this.onDone = onDone;
    }

    /** Counts one more send; pass the result to {@code producer.send}. */
    Callback callback() {
        outstanding.incrementAndGet();
        return callback;
    }

    /** For a send that threw instead of calling back. */
    void sendFailed(Exception e) {
        acked(null, e);
    }

    /** Marks the task failed without a send: its offset must not be committed. */
    void fail(Exception e) {
        failure.compareAndSet(null, e);
    }

    /** No more sends; the completion runs now if everything is acknowledged already. */
    void seal() {
        if (outstanding.decrementAndGet() == 0) onDone.accept(this);
    }

    /** The first send error, or null. */
    Exception failure() {
        return failure.get();
    }

    private void acked(RecordMetadata metadata, Exception e) {
        if (e != null) failure.compareAndSet(null, e);
        if (outstanding.decrementAndGet() == 0) onDone.accept(this);
    }
}
