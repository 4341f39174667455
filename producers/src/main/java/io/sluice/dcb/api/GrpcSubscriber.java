package io.sluice.dcb.api;

import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.sluice.dcb.query.Query;
import io.sluice.grpc.v1.Heartbeat;
import io.sluice.grpc.v1.SubscribeResponse;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One Subscribe stream's sending side: a bounded queue of messages in position order, sent while the
 * client reads (drained on the call's onReady and after each enqueue, by whichever thread gets there,
 * one at a time). Two producers feed it, never both at once: its own catch-up ({@link #put}, which
 * waits for room) while it reads PostgreSQL by itself, and the shared {@link GrpcEventTail}
 * ({@link #offer}, which never waits, so a slow client cannot hold the tail up) while it is live.
 * It holds no thread while live: an idle subscription costs this object, its query and the call.
 * <p>
 * {@link #after} is the position up to which every matching event is queued or sent; the tail and
 * the catch-up hand it over to each other under the tail's lock.
 */
final class GrpcSubscriber {

    private static final long PARK_NANOS = TimeUnit.SECONDS.toNanos(1);

    final Query query;
    private final ServerCallStreamObserver<SubscribeResponse> call;
    private final int capacity;
    private final LongAdder eventsSent;
    private final ArrayDeque<SubscribeResponse> queue = new ArrayDeque<>(2);
    private final AtomicInteger drainers = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClosed;
    private volatile long after;
    private volatile long lastQueuedNanos = System.nanoTime();
    private volatile boolean caughtUpOnce;
    private volatile Thread waiter;
    private volatile StatusException failure;
    private boolean terminated; // only touched by the drainer

    /**
     * @param onClosed runs once, when the client cancels or the stream fails
     */
    GrpcSubscriber(ServerCallStreamObserver<SubscribeResponse> call, Query query, long after, int capacity,
                   LongAdder eventsSent, Runnable onClosed) {
        this.call = call;
        this.query = query;
        this.after = after;
        this.capacity = capacity;
        this.eventsSent = eventsSent;
        this.onClosed = onClosed;
        call.setOnReadyHandler(this::drain);
        call.setOnCancelHandler(() -> {
            if (closed.compareAndSet(false, true)) onClosed.run();
            wakeWaiter();
        });
    }

    long after() {
        return after;
    }

    /** Every matching event up to {@code position} is queued (events that did not match were skipped). */
    void advanceTo(long position) {
        if (position > after) after = position;
    }

    boolean closed() {
        return closed.get();
    }

    /** For the tail: queues without waiting. @return false when the queue is full (nothing was queued) */
    boolean offer(SubscribeResponse message, long position) {
        synchronized (queue) {
            if (queue.size() >= capacity) return false;
            queue.add(message);
        }
        advanceTo(position);
        lastQueuedNanos = System.nanoTime();
        return true;
    }

    /** For the catch-up: queues, waiting for room. @return false once the stream is closed */
    boolean put(SubscribeResponse message, long position) throws InterruptedException {
        waiter = Thread.currentThread();
        try {
            while (true) {
                if (closed.get()) return false;
                synchronized (queue) {
                    if (queue.size() < capacity) {
                        queue.add(message);
                        break;
                    }
                }
                drain();
                // the drainer unparks this thread once it took a message; the timeout is a safety net
                LockSupport.parkNanos(this, PARK_NANOS);
                if (Thread.interrupted()) throw new InterruptedException();
            }
        } finally {
            waiter = null;
        }
        advanceTo(position);
        lastQueuedNanos = System.nanoTime();
        drain();
        return true;
    }

    /** The first heartbeat ends the catch-up; a catch-up after falling behind sends none. */
    boolean endCatchUp() throws InterruptedException {
        if (caughtUpOnce) return true;
        caughtUpOnce = true;
        return put(heartbeat(), after);
    }

    /** For the tail: a heartbeat when nothing was queued for {@code silenceNanos}; skipped when the queue is not empty. */
    boolean heartbeatIfSilent(long now, long silenceNanos) {
        return now - lastQueuedNanos >= silenceNanos && offer(heartbeat(), after);
    }

    /** Ends the stream with {@code status} once what is queued is sent. */
    void fail(StatusException status) {
        failure = status;
        if (closed.compareAndSet(false, true)) onClosed.run();
        drain();
    }

    /** Sends while the client reads; a caller finding another drainer at work leaves it the job. */
    void drain() {
        if (drainers.getAndIncrement() != 0) return;
        int missed = 1;
        do {
            sendWhileReady();
            missed = drainers.addAndGet(-missed);
        } while (missed != 0);
    }

    private void sendWhileReady() {
        if (terminated) return;
        while (call.isReady()) {
            SubscribeResponse next;
            synchronized (queue) {
                next = queue.poll();
            }
            if (next == null) break;
            call.onNext(next);
            if (next.hasEvent()) eventsSent.increment();
        }
        wakeWaiter();
        StatusException status = failure;
        if (status != null && isEmpty()) {
            terminated = true;
            if (!call.isCancelled()) call.onError(status);
        }
    }

    private boolean isEmpty() {
        synchronized (queue) {
            return queue.isEmpty();
        }
    }

    private void wakeWaiter() {
        Thread w = waiter;
        if (w != null) LockSupport.unpark(w);
    }

    private SubscribeResponse heartbeat() {
        return SubscribeResponse.newBuilder().setHeartbeat(Heartbeat.newBuilder().setHead(after)).build();
    }
}
