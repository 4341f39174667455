package io.sluice.dcb.api;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.dcb.query.Query;
import io.sluice.grpc.server.GrpcFlowGate;
import io.sluice.grpc.v1.Event;
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
 * from PostgreSQL in position order. Both first wait at the {@link ReadFence}, so they see every
 * append acknowledged before they started. A Read runs on a virtual thread of its own that sends only
 * while the client reads ({@link GrpcFlowGate}) and takes a page of rows from PostgreSQL only once
 * the previous one is sent, so a stopped client stops its reads from PostgreSQL. A subscription
 * catches up the same way ({@link GrpcCatchUp}), then joins the instance's one {@link GrpcEventTail},
 * which reads each committed event once for every live subscription and queues it to those it
 * matches ({@link GrpcSubscriber}); a subscription whose queue is full catches up by itself again.
 */
final class GrpcEventStreams {

    /** A Read message's events stop growing past this size (1 MiB: well under clients' 4 MiB default). */
    static final int BATCH_BYTES = 1 << 20;

    private final ReadFence fence;
    private final GrpcEventPages pages;
    private final Duration readTimeout;
    private final GrpcConfig config;
    private final ApiLimits limits;
    private final Executor workers;
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final LongAdder eventsSent = new LongAdder();
    private final GrpcEventTail tail;
    private final GrpcCatchUp catchUp;

    GrpcEventStreams(ReadFence fence, EventReader reader, Duration readTimeout, GrpcConfig config, ApiLimits limits,
                     Executor workers) {
        this.fence = fence;
        this.pages = new GrpcEventPages(reader);
        this.readTimeout = readTimeout;
        this.config = config;
        this.limits = limits;
        this.workers = workers;
        GrpcEventTail.Pages forward = (query, after, max) -> pages.after(query, after, false, max);
        this.tail = new GrpcEventTail(fence, forward, config.pageRows(), config.heartbeat(), this::fallBehind);
        this.catchUp = new GrpcCatchUp(fence, forward, tail, config.pageRows());
        // the one live reader of this instance; it ends when the workers are shut down
        workers.execute(tail);
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
                    if (!sendBatches(page, gate, out)) return;
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

    /**
     * Sends a page as few messages as its size allows ({@link #BATCH_BYTES} each, at least one event):
     * a message per event would cost grpc-java a flush per event. False when the client cancelled.
     */
    private boolean sendBatches(List<EventReader.Row> page, GrpcFlowGate gate, ServerCallStreamObserver<ReadResponse> out)
            throws InterruptedException {
        ReadResponse.Builder batch = ReadResponse.newBuilder();
        int bytes = 0;
        for (EventReader.Row row : page) {
            Event event = GrpcMessages.event(row);
            int size = event.getSerializedSize();
            if (batch.getEventsCount() > 0 && bytes + size > BATCH_BYTES) {
                if (!send(batch, gate, out)) return false;
                batch = ReadResponse.newBuilder();
                bytes = 0;
            }
            batch.addEvents(event);
            bytes += size;
        }
        return batch.getEventsCount() == 0 || send(batch, gate, out);
    }

    private boolean send(ReadResponse.Builder batch, GrpcFlowGate gate, ServerCallStreamObserver<ReadResponse> out)
            throws InterruptedException {
        if (!gate.awaitReady()) return false;
        out.onNext(batch.build());
        eventsSent.add(batch.getEventsCount());
        return true;
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
        GrpcSubscriber subscriber = new GrpcSubscriber(out, query, request.getAfter(), config.pageRows(), eventsSent,
                subscriptions::decrementAndGet);
        workers.execute(() -> {
            try {
                awaitFence();
                catchUp.run(subscriber);
            } catch (Exception e) {
                subscriber.fail(GrpcStatuses.of(e));
            }
        });
    }

    /** A subscriber the tail dropped (its queue was full) reads PostgreSQL by itself until it has caught up. */
    private void fallBehind(GrpcSubscriber subscriber) {
        workers.execute(() -> {
            try {
                catchUp.run(subscriber);
            } catch (Exception e) {
                subscriber.fail(GrpcStatuses.of(e));
            }
        });
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
