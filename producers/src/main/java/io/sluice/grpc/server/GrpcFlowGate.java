package io.sluice.grpc.server;

import io.grpc.stub.ServerCallStreamObserver;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * gRPC flow control for a stream whose messages are produced by a thread of its own: that thread
 * calls {@link #awaitReady} before each message and so blocks while the client is not reading
 * (the transport's buffer is full), instead of queueing messages without bound. Cancellation and a
 * passed deadline (both arrive as the call's cancel) wake it at once and it leaves.
 */
public final class GrpcFlowGate {

    private final ServerCallStreamObserver<?> call;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile boolean cancelled;

    /** Takes over the call's ready and cancel handlers; {@code onCancel} runs after the gate opens for good. */
    public GrpcFlowGate(ServerCallStreamObserver<?> call, Runnable onCancel) {
        this.call = call;
        call.setOnReadyHandler(this::signal);
        call.setOnCancelHandler(() -> {
            cancelled = true;
            signal();
            onCancel.run();
        });
    }

    /** @return true when the client can take a message now; false once the call is cancelled */
    public boolean awaitReady() throws InterruptedException {
        lock.lock();
        try {
            // Checked under the lock that signal() takes, so a ready or cancel in between is not missed.
            while (!cancelled && !call.isReady()) changed.await(1, TimeUnit.SECONDS);
            return !cancelled;
        } finally {
            lock.unlock();
        }
    }

    public boolean cancelled() {
        return cancelled;
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
