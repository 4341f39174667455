package io.sluice.dcb.api;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.dcb.query.Query;
import io.sluice.grpc.v1.Heartbeat;
import io.sluice.grpc.v1.ReadRequest;
import io.sluice.grpc.v1.ReadResponse;
import io.sluice.grpc.v1.SubscribeRequest;
import io.sluice.grpc.v1.SubscribeResponse;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code Read} and {@code Subscribe}: consume a query and a position, produce the matching events
 * from PostgreSQL in position order, each stream on a virtual thread of its own that sends only
 * while the client reads ({@link GrpcFlowGate}) and takes a page of rows from PostgreSQL only once
 * the previous one is sent, so a stopped client stops its reads from PostgreSQL. Both first wait at
 * the {@link ReadFence}, so they see every append acknowledged before they started. A subscription
 * then follows the events sink's committed position (its NOTIFY, through the fence): woken when it
 * moves, it reads what is new; silent for a heartbeat, it sends the position it has read up to.
 */
final class GrpcEventStreams {

    private final ReadFence fence;
    private final GrpcEventPages pages;
    private final Duration readTimeout;
    private final GrpcConfig config;
    private final ApiLimits limits;
    private final Executor workers;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final LongAdder eventsSent = new LongAdder();

    GrpcEventStreams(ReadFence fence, EventReader reader, Duration readTimeout, GrpcConfig config, ApiLimits limits,
                     Executor workers) {
        this.fence = fence;
        this.pages = new GrpcEventPages(reader);
        this.readTimeout = readTimeout;
        this.config = config;
        this.limits = limits;
        this.workers = workers;
    }

    void read(ReadRequest request, StreamObserver<ReadResponse> responses) {
        ServerCallStreamObserver<ReadResponse> out = (ServerCallStreamObserver<ReadResponse>) responses;
        Query query;
        try {
            query = GrpcMessages.query(request.getQuery(), limits.request());
        } catch (BadRequestException e) {
            out.onError(GrpcStatuses.of(e));
            return;
        }
        GrpcFlowGate gate = new GrpcFlowGate(out, () -> { });
        workers.execute(() -> {
            try {
                awaitFence();
                long after = request.getAfter();
                long remaining = request.getLimit() == 0 ? Long.MAX_VALUE : Integer.toUnsignedLong(request.getLimit());
                while (remaining > 0) {
                    int asked = (int) Math.min(config.pageRows(), remaining);
                    List<EventReader.Row> page = pages.after(query, after, request.getBackwards(), asked);
                    for (EventReader.Row row : page) {
                        if (!gate.awaitReady()) return;
                        out.onNext(ReadResponse.newBuilder().setEvent(GrpcMessages.event(row)).build());
                        eventsSent.increment();
                    }
                    if (page.size() < asked) break;
                    after = page.getLast().position();
                    remaining -= page.size();
                }
                out.onCompleted();
            } catch (Exception e) {
                if (!gate.cancelled()) out.onError(GrpcStatuses.of(e));
            }
        });
    }

    void subscribe(SubscribeRequest request, StreamObserver<SubscribeResponse> responses) {
        ServerCallStreamObserver<SubscribeResponse> out = (ServerCallStreamObserver<SubscribeResponse>) responses;
        Query query;
        try {
            query = GrpcMessages.query(request.getQuery(), limits.request());
        } catch (BadRequestException e) {
            out.onError(GrpcStatuses.of(e));
            return;
        }
        if (subscriptions.incrementAndGet() > config.maxSubscriptions()) {
            subscriptions.decrementAndGet();
            out.onError(Status.RESOURCE_EXHAUSTED.withDescription("this instance serves " + config.maxSubscriptions()
                    + " subscriptions already: retry later or on another instance").asException());
            return;
        }
        // the subscription may be waiting for the fence: wake it to see that it was cancelled
        GrpcFlowGate gate = new GrpcFlowGate(out, fence::wake);
        workers.execute(() -> {
            try {
                awaitFence();
                follow(query, request.getAfter(), gate, out);
            } catch (Exception e) {
                if (!gate.cancelled()) out.onError(GrpcStatuses.of(e));
            } finally {
                subscriptions.decrementAndGet();
            }
        });
    }

    private void follow(Query query, long after, GrpcFlowGate gate, ServerCallStreamObserver<SubscribeResponse> out)
            throws Exception {
        long heartbeatNanos = config.heartbeat().toNanos();
        long scanned = after;
        boolean caughtUp = false;
        long silentSince = System.nanoTime();
        while (!gate.cancelled()) {
            long head = fence.committed();
            if (head > scanned) {
                List<EventReader.Row> page = pages.after(query, scanned, false, config.pageRows());
                for (EventReader.Row row : page) {
                    if (!gate.awaitReady()) return;
                    out.onNext(SubscribeResponse.newBuilder().setEvent(GrpcMessages.event(row)).build());
                    eventsSent.increment();
                    silentSince = System.nanoTime();
                }
                if (page.size() == config.pageRows()) {
                    scanned = page.getLast().position();
                    continue;
                }
                // Fewer than a page: every match up to the head read before the statement was in it.
                scanned = Math.max(head, page.isEmpty() ? scanned : page.getLast().position());
            }
            // The first heartbeat marks the end of the catch-up; later ones break a silence.
            if (!caughtUp || System.nanoTime() - silentSince >= heartbeatNanos) {
                caughtUp = true;
                if (!gate.awaitReady()) return;
                out.onNext(SubscribeResponse.newBuilder().setHeartbeat(Heartbeat.newBuilder().setHead(scanned)).build());
                silentSince = System.nanoTime();
            }
            long untilHeartbeat = heartbeatNanos - (System.nanoTime() - silentSince);
            fence.awaitCommittedAfter(scanned, Duration.ofNanos(Math.max(1, untilHeartbeat)));
        }
    }

    private void awaitFence() throws JsonHandler.Unavailable, InterruptedException {
        if (!fence.await(readTimeout)) {
            throw new JsonHandler.Unavailable("the read waited " + readTimeout + " for the events sink to store every"
                    + " acknowledged append: " + fence.describe(), null);
        }
    }

    /** Events sent on Read and Subscribe streams since start. */
    long eventsSent() {
        return eventsSent.sum();
    }

    int subscriptions() {
        return subscriptions.get();
    }
}
