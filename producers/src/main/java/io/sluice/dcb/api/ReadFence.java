package io.sluice.dcb.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Read-your-writes for reads served from PostgreSQL. Consumes two positions: the highest one this
 * API has seen acknowledged ({@link ResultWaiter} raises it before it answers the append, and the
 * log's last position at start covers appends acknowledged before a restart), and the highest one
 * the events sink has committed ({@link SinkWatermark}, from the sink's NOTIFY). A read first calls
 * {@link #await}: it returns once the sink has committed everything acknowledged when the read
 * started, so every append that returned before then is visible. This holds because dcb.events has
 * one partition, which the sink writes in position order, so a committed position implies every
 * lower one. Thread-safe; the fast path is two volatile reads.
 */
public final class ReadFence {

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();

    /** Raises the acknowledged position; call before answering the append that got it. */
    public void acknowledged(long position) {
        acknowledged.accumulateAndGet(position, Math::max);
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    /** Raises the committed position and wakes the reads it lets through. */
    public void committed(long position) {
        if (position <= committed.get()) return;
        lock.lock();
        try {
            if (committed.accumulateAndGet(position, Math::max) == position) advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public long committed() {
        return committed.get();
    }

    /**
     * Waits until PostgreSQL holds every event acknowledged so far.
     *
     * @return false when {@code timeout} passed first
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long target = acknowledged.get();
        if (committed.get() >= target) return true;
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (committed.get() < target) {
                if (nanos <= 0) return false;
                nanos = advanced.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until PostgreSQL holds an event after {@code position} (a subscription's live feed), or
     * {@code timeout} passed, or {@link #wake} was called (a subscription was cancelled: its
     * thread looks at its own state and leaves).
     *
     * @return whether the committed position is now after {@code position}
     */
    public boolean awaitCommittedAfter(long position, Duration timeout) throws InterruptedException {
        if (committed.get() > position) return true;
        lock.lock();
        try {
            if (committed.get() > position) return true;
            advanced.awaitNanos(timeout.toNanos());
            return committed.get() > position;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every thread waiting in {@link #awaitCommittedAfter}, whether the position moved or not. */
    public void wake() {
        lock.lock();
        try {
            advanced.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** For messages: how far behind the sink is. */
    String describe() {
        return "the events sink has committed up to position " + committed.get() + ", appends are acknowledged up to "
                + acknowledged.get();
    }
}
