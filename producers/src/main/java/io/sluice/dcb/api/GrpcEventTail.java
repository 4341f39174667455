package io.sluice.dcb.api;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryMatcher;
import io.sluice.grpc.v1.SubscribeResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The one live reader of dcb.events per API instance: consumes the events sink's committed position
 * (its NOTIFY, through the {@link ReadFence}), reads each new event from PostgreSQL once, in position
 * order and in pages, and offers it to every live {@link GrpcSubscriber} whose query matches. So
 * 10,000 subscriptions cost one read per commit, not 10,000. It never waits for a subscriber: one
 * whose queue is full is dropped from the live set and handed to {@code fallBehind}, which catches it
 * up from PostgreSQL by itself and joins it again. It also sends the heartbeats of the live ones.
 * <p>
 * A subscriber joins ({@link #join}) only when it has caught up to the tail's position; when no one
 * is live the tail reads nothing and restarts from the first joiner's position.
 */
final class GrpcEventTail implements Runnable {

    /** A page of events after a position, in position order. */
    @FunctionalInterface
    interface Pages {
        List<EventReader.Row> after(Query query, long after, int max) throws SQLException;
    }

    private static final Logger log = LoggerFactory.getLogger(GrpcEventTail.class);

    private final ReadFence fence;
    private final Pages pages;
    private final int pageRows;
    private final long heartbeatNanos;
    private final Duration tick;
    private final Consumer<GrpcSubscriber> fallBehind;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<GrpcSubscriber> live = new LinkedHashSet<>();
    private long position; // every event up to it was offered to every live subscriber; guarded by lock

    GrpcEventTail(ReadFence fence, Pages pages, int pageRows, Duration heartbeat, Consumer<GrpcSubscriber> fallBehind) {
        this.fence = fence;
        this.pages = pages;
        this.pageRows = pageRows;
        this.heartbeatNanos = heartbeat.toNanos();
        // heartbeats are due at most a quarter of their interval late, and a lost wake-up costs no more
        this.tick = Duration.ofNanos(Math.min(heartbeatNanos / 4, Duration.ofMillis(250).toNanos()));
        this.fallBehind = fallBehind;
    }

    /**
     * Makes {@code subscriber} live if it has caught up to the tail.
     *
     * @return false when the tail is past the subscriber: it must read up to the head again first
     */
    boolean join(GrpcSubscriber subscriber) {
        boolean first;
        lock.lock();
        try {
            first = live.isEmpty();
            if (first) {
                position = subscriber.after();
            } else if (subscriber.after() < position) {
                return false;
            }
            live.add(subscriber);
        } finally {
            lock.unlock();
        }
        // the tail may be asleep with no one to serve; events may have committed since the catch-up's last page
        if (first) fence.wake();
        return true;
    }

    int liveCount() {
        lock.lock();
        try {
            return live.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long from = awaitWork();
                try {
                    step(from);
                } catch (SQLException e) {
                    // live subscribers keep their position and get heartbeats; the next commit or tick retries
                    log.warn("the subscriptions' tail could not read dcb.events after position {}: {}", from, e.getMessage());
                    Thread.sleep(tick);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private long awaitWork() throws InterruptedException {
        long from = currentPosition();
        // with no one live, any commit's signal (or a joiner's wake) ends the wait
        fence.awaitCommittedAfter(from < 0 ? Long.MAX_VALUE : from, tick);
        return currentPosition();
    }

    /** The tail's position, or -1 when no subscriber is live. */
    private long currentPosition() {
        lock.lock();
        try {
            return live.isEmpty() ? -1 : position;
        } finally {
            lock.unlock();
        }
    }

    /** Reads and offers what is committed after the tail's position, then sends the heartbeats due. */
    void step() throws SQLException {
        step(currentPosition());
    }

    private void step(long from) throws SQLException {
        while (from >= 0 && fence.committed() > from) {
            long head = fence.committed();
            List<EventReader.Row> page = pages.after(Query.all(), from, pageRows);
            long next = page.size() == pageRows ? page.getLast().position()
                    : Math.max(head, page.isEmpty() ? from : page.getLast().position());
            if (!offer(from, page, next)) break;
            from = next;
        }
        heartbeats();
    }

    /** @return false when the live set changed under the read (emptied and restarted): read again from its position */
    private boolean offer(long from, List<EventReader.Row> page, long next) {
        Set<GrpcSubscriber> touched = Collections.newSetFromMap(new IdentityHashMap<>());
        List<GrpcSubscriber> fallen = new ArrayList<>();
        lock.lock();
        try {
            if (live.isEmpty() || position != from) return false;
            for (EventReader.Row row : page) {
                SubscribeResponse message = null;
                for (Iterator<GrpcSubscriber> it = live.iterator(); it.hasNext(); ) {
                    GrpcSubscriber s = it.next();
                    if (s.closed()) {
                        it.remove();
                    } else if (row.position() > s.after() && QueryMatcher.matches(s.query, row.type(), row.tags())) {
                        if (message == null) message = SubscribeResponse.newBuilder().setEvent(GrpcMessages.event(row)).build();
                        if (s.offer(message, row.position())) {
                            touched.add(s);
                        } else {
                            it.remove();
                            fallen.add(s);
                        }
                    }
                }
            }
            position = next;
            for (GrpcSubscriber s : live) s.advanceTo(next);
        } finally {
            lock.unlock();
        }
        // sent outside the lock: joins and cancels do not wait for the transport
        for (GrpcSubscriber s : touched) s.drain();
        for (GrpcSubscriber s : fallen) fallBehind.accept(s);
        return true;
    }

    private void heartbeats() {
        List<GrpcSubscriber> due = new ArrayList<>();
        long now = System.nanoTime();
        lock.lock();
        try {
            for (Iterator<GrpcSubscriber> it = live.iterator(); it.hasNext(); ) {
                GrpcSubscriber s = it.next();
                if (s.closed()) it.remove();
                else if (s.heartbeatIfSilent(now, heartbeatNanos)) due.add(s);
            }
        } finally {
            lock.unlock();
        }
        for (GrpcSubscriber s : due) s.drain();
    }
}
