package io.sluice.bench.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.NewEvent;
import io.sluice.grpc.v1.Query;
import io.sluice.grpc.v1.QueryItem;
import io.sluice.grpc.v1.SubscribeRequest;
import io.sluice.grpc.v1.SubscribeResponse;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * Many subscriptions on one dcb-api instance: what an idle one costs in heap, and how long an
 * appended event takes to reach all of them. The subscribers are this JVM's own gRPC clients, on
 * channels of {@value #CALLS_PER_CHANNEL} calls each, so the heap measured holds both ends of every
 * call (server and client): an upper bound for the server's share.
 */
final class SubscriberFanOut implements AutoCloseable {

    /** Under the server's 1,000 calls per connection. */
    private static final int CALLS_PER_CHANNEL = 500;
    private static final Duration SETTLE_TIMEOUT = Duration.ofMinutes(2);

    /** Commit-to-delivery: from the append sent to the last subscriber having the event. */
    record Delivery(int subscribers, long[] allNanos, long[] firstNanos, long[] appendNanos) {
    }

    private final int port;
    private final String tag;
    private final IntSupplier serverSubscriptions;
    private final List<ManagedChannel> channels = new ArrayList<>();
    private final List<ClientCallStreamObserver<SubscribeRequest>> calls = new ArrayList<>();
    private volatile Sample sample;
    private final AtomicInteger failedEarly = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicReference<String> firstFailure = new java.util.concurrent.atomic.AtomicReference<>("");

    /** One event in flight to every subscriber. */
    private record Sample(String id, AtomicInteger remaining, AtomicLong first, AtomicLong last, CountDownLatch done) {
    }

    SubscriberFanOut(int port, String tag, IntSupplier serverSubscriptions) {
        this.port = port;
        this.tag = tag;
        this.serverSubscriptions = serverSubscriptions;
    }

    /**
     * Opens {@code n} subscriptions and waits until every one is live (its catch-up's heartbeat came).
     *
     * @return the heap after a collection with them open, less the heap before, per subscription
     */
    double idleHeapBytesEach(int n) throws InterruptedException, TimeoutException {
        long before = heapAfterGc();
        open(n);
        long after = heapAfterGc();
        return (after - before) / (double) n;
    }

    /** Opens {@code n} subscriptions, then times {@code samples} appends one after another until each reached all. */
    Delivery delivery(int n, int samples) throws InterruptedException, TimeoutException {
        open(n);
        DcbServiceGrpc.DcbServiceBlockingStub appender = DcbServiceGrpc.newBlockingStub(channels.getFirst());
        long[] all = new long[samples];
        long[] first = new long[samples];
        long[] append = new long[samples];
        for (int i = 0; i < samples; i++) {
            Sample s = new Sample(tag + "-" + i, new AtomicInteger(n), new AtomicLong(), new AtomicLong(), new CountDownLatch(1));
            sample = s;
            long sent = System.nanoTime();
            appender.withDeadlineAfter(60, TimeUnit.SECONDS).append(AppendRequest.newBuilder()
                    .addEvents(NewEvent.newBuilder().setType("FanOut").addTags(tag).setData(s.id())).build());
            append[i] = System.nanoTime() - sent;
            if (!s.done().await(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new TimeoutException("event " + i + " reached " + (n - s.remaining().get()) + " of " + n + " subscribers");
            }
            all[i] = s.last().get() - sent;
            first[i] = s.first().get() - sent;
        }
        return new Delivery(n, all, first, append);
    }

    private void open(int n) throws InterruptedException, TimeoutException {
        CountDownLatch live = new CountDownLatch(n);
        SubscribeRequest request = SubscribeRequest.newBuilder()
                .setQuery(Query.newBuilder().addItems(QueryItem.newBuilder().addTags(tag))).build();
        DcbServiceGrpc.DcbServiceStub stub = null;
        for (int i = 0; i < n; i++) {
            if (i % CALLS_PER_CHANNEL == 0) {
                ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
                channels.add(channel);
                stub = DcbServiceGrpc.newStub(channel);
            }
            stub.subscribe(request, new Subscriber(live));
        }
        if (!live.await(SETTLE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new TimeoutException((n - live.getCount()) + " of " + n + " subscriptions caught up in " + SETTLE_TIMEOUT);
        }
        if (failedEarly.get() > 0) {
            throw new IllegalStateException(failedEarly.get() + " of " + n + " subscriptions failed before they caught up,"
                    + " the first: " + firstFailure.get());
        }
    }

    /** Cancels every subscription and waits until the server has let go of them. */
    @Override
    public void close() throws InterruptedException {
        synchronized (calls) {
            for (ClientCallStreamObserver<SubscribeRequest> call : calls) call.cancel("benchmark done", null);
            calls.clear();
        }
        for (ManagedChannel c : channels) c.shutdownNow();
        for (ManagedChannel c : channels) c.awaitTermination(10, TimeUnit.SECONDS);
        channels.clear();
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (serverSubscriptions.getAsInt() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
    }

    private static long heapAfterGc() throws InterruptedException {
        // twice, and a pause for reference processing, so that the garbage of the last step is gone
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Counts itself live at its first message, and counts the sample's event when it comes. */
    private final class Subscriber implements ClientResponseObserver<SubscribeRequest, SubscribeResponse> {
        private CountDownLatch live;

        Subscriber(CountDownLatch live) {
            this.live = live;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> call) {
            synchronized (calls) {
                calls.add(call);
            }
        }

        @Override
        public void onNext(SubscribeResponse message) {
            if (live != null) {
                live.countDown();
                live = null;
            }
            Sample s = sample;
            if (s == null || !message.hasEvent() || !message.getEvent().getData().equals(s.id())) return;
            long now = System.nanoTime();
            s.first().compareAndSet(0, now);
            if (s.remaining().decrementAndGet() == 0) {
                s.last().set(now);
                s.done().countDown();
            }
        }

        @Override
        public void onError(Throwable t) {
            // cancelled at the end; a failure before it caught up fails the measurement
            if (live != null) {
                failedEarly.incrementAndGet();
                firstFailure.compareAndSet("", t.toString());
                live.countDown();
                live = null;
            }
        }

        @Override
        public void onCompleted() {
        }
    }
}
