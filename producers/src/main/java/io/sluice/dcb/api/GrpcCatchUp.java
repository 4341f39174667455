package io.sluice.dcb.api;

import io.sluice.grpc.v1.SubscribeResponse;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * A subscriber's own reads of PostgreSQL, until it reaches the shared {@link GrpcEventTail}: from the
 * subscriber's position, a page at a time (the next page is read only once the last one is queued,
 * so a client that does not read stops its reads), until a page ends before the committed head read
 * before it; then the first time a heartbeat with that head, and a try to join the tail, which fails
 * only when the tail has moved past it meanwhile (another round then). Used when a subscription starts
 * and when one falls behind the tail (its queue was full).
 * <p>
 * At most {@value #CONCURRENT_READS} catch-ups read PostgreSQL at once; the others wait their turn
 * here, without a timeout: 10,000 subscriptions opened together would otherwise queue for the read
 * pool's few connections and time out there (UNAVAILABLE), and starve the Reads and the tail of it.
 * A permit is held for the page's statement only, never while its rows wait for a slow client.
 */
final class GrpcCatchUp {

    private final ReadFence fence;
    private final GrpcEventTail.Pages pages;
    private final GrpcEventTail tail;
    private final int pageRows;
    private final Semaphore reads = new Semaphore(CONCURRENT_READS, true);

    /** Half of the read pool's default 8 connections: the rest serve Reads, HTTP reads and the tail. */
    static final int CONCURRENT_READS = 4;

    GrpcCatchUp(ReadFence fence, GrpcEventTail.Pages pages, GrpcEventTail tail, int pageRows) {
        this.fence = fence;
        this.pages = pages;
        this.tail = tail;
        this.pageRows = pageRows;
    }

    /** Runs on the caller's thread until {@code subscriber} is live or closed. */
    void run(GrpcSubscriber subscriber) throws SQLException, InterruptedException {
        while (!subscriber.closed()) {
            long head = fence.committed();
            long after = subscriber.after();
            List<EventReader.Row> page;
            reads.acquire();
            try {
                page = pages.after(subscriber.query, after, pageRows);
            } finally {
                reads.release();
            }
            for (EventReader.Row row : page) {
                SubscribeResponse message = SubscribeResponse.newBuilder().setEvent(GrpcMessages.event(row)).build();
                if (!subscriber.put(message, row.position())) return;
            }
            if (page.size() == pageRows) continue;
            // Fewer than a page: every match up to the head read before the statement was in it.
            subscriber.advanceTo(head);
            if (!subscriber.endCatchUp()) return;
            if (tail.join(subscriber)) return;
        }
    }
}
