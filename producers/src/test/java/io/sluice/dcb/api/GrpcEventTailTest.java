package io.sluice.dcb.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.QueryMatcher;
import io.sluice.grpc.v1.SubscribeResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

class GrpcEventTailTest {

    private static final int PAGE = 2;

    private final List<EventReader.Row> table = new CopyOnWriteArrayList<>();
    private final AtomicInteger tailReads = new AtomicInteger();
    private final ReadFence fence = new ReadFence();
    private final List<GrpcSubscriber> fallen = new CopyOnWriteArrayList<>();
    private final GrpcEventTail tail = new GrpcEventTail(fence, this::page, PAGE, Duration.ofMinutes(1), fallen::add);

    @Test
    void theTailReadsEachCommitOnceAndDeliversInPositionOrderToTheSubscribersWhoseQueryMatches() throws Exception {
        FakeCall everythingCall = new FakeCall(true);
        FakeCall accountCall = new FakeCall(true);
        GrpcSubscriber everything = subscriber(everythingCall, Query.all(), 16);
        GrpcSubscriber account = subscriber(accountCall, Query.of(QueryItem.tags("account:1")), 16);
        assertThat(tail.join(everything)).isTrue();
        assertThat(tail.join(account)).isTrue();

        for (int i = 1; i <= 5; i++) append(i % 2 == 1 ? "account:1" : "account:2");
        tail.step();

        assertThat(everythingCall.positions()).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(accountCall.positions()).containsExactly(1L, 3L, 5L);
        // 5 events in pages of 2: three reads for both subscribers together
        assertThat(tailReads).hasValue(3);
    }

    @Test
    void aSubscriberWhoseQueueIsFullFallsBackToItsOwnCatchUpWhileTheOthersGetEverything() throws Exception {
        FakeCall slowCall = new FakeCall(false);
        FakeCall fastCall = new FakeCall(true);
        GrpcSubscriber slow = subscriber(slowCall, Query.all(), 2);
        GrpcSubscriber fast = subscriber(fastCall, Query.all(), 2);
        tail.join(slow);
        tail.join(fast);

        for (int i = 1; i <= 6; i++) append("t");
        tail.step();

        assertThat(fastCall.positions()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(fallen).containsExactly(slow);
        assertThat(slow.after()).as("what it has queued").isEqualTo(2);
        assertThat(tail.liveCount()).isEqualTo(1);

        // the client reads again: the catch-up sends the rest from PostgreSQL, in order, then rejoins
        GrpcCatchUp catchUp = new GrpcCatchUp(fence, this::page, tail, PAGE);
        Thread thread = Thread.ofVirtual().start(() -> {
            try {
                catchUp.run(slow);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        slowCall.becomeReady();
        thread.join(Duration.ofSeconds(5));
        assertThat(thread.isAlive()).isFalse();
        assertThat(slowCall.positions()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(tail.liveCount()).isEqualTo(2);

        append("t");
        tail.step();
        assertThat(slowCall.positions()).endsWith(7L);
        assertThat(fastCall.positions()).endsWith(7L);
    }

    @Test
    void aSilentLiveSubscriberGetsAHeartbeatWithTheTailsPosition() throws Exception {
        GrpcEventTail quick = new GrpcEventTail(fence, this::page, PAGE, Duration.ofMillis(20), fallen::add);
        FakeCall call = new FakeCall(true);
        GrpcSubscriber other = subscriber(call, Query.of(QueryItem.types("Other")), 16);
        quick.join(other);
        append("t");
        append("t");
        Thread.sleep(30);
        quick.step();
        assertThat(call.sent).singleElement().satisfies(m -> assertThat(m.getHeartbeat().getHead()).isEqualTo(2));
    }

    @Test
    void subscriptionsOpenedTogetherReadPostgresqlAFewAtATimeAndAllGoLive() throws Exception {
        AtomicInteger reading = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        GrpcEventTail.Pages slow = (query, after, max) -> {
            most.accumulateAndGet(reading.incrementAndGet(), Math::max);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reading.decrementAndGet();
            return page(query, after, max);
        };
        GrpcCatchUp catchUp = new GrpcCatchUp(fence, slow, tail, PAGE);
        append("t");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            GrpcSubscriber s = subscriber(new FakeCall(true), Query.all(), 16);
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    catchUp.run(s);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (Thread t : threads) t.join(Duration.ofSeconds(10));
        assertThat(most.get()).isBetween(1, GrpcCatchUp.CONCURRENT_READS);
        assertThat(tail.liveCount()).isEqualTo(20);
    }

    private GrpcSubscriber subscriber(FakeCall call, Query query, int capacity) {
        return new GrpcSubscriber(call, query, 0, capacity, new LongAdder(), () -> { });
    }

    private void append(String tag) {
        long position = table.size() + 1;
        table.add(new EventReader.Row(position, "Event", List.of(tag), "{}"));
        fence.committed(position);
    }

    private List<EventReader.Row> page(Query query, long after, int max) {
        if (query.matchesAll()) tailReads.incrementAndGet();
        List<EventReader.Row> rows = new ArrayList<>();
        for (EventReader.Row row : table) {
            if (row.position() > after && QueryMatcher.matches(query, row.type(), row.tags()) && rows.size() < max) rows.add(row);
        }
        return rows;
    }

    /** A call whose client reads or not, keeping what was sent. */
    private static final class FakeCall extends ServerCallStreamObserver<SubscribeResponse> {
        final List<SubscribeResponse> sent = new CopyOnWriteArrayList<>();
        volatile boolean ready;
        volatile Runnable onReady = () -> { };

        FakeCall(boolean ready) {
            this.ready = ready;
        }

        void becomeReady() {
            ready = true;
            onReady.run();
        }

        List<Long> positions() {
            return sent.stream().filter(SubscribeResponse::hasEvent).map(m -> m.getEvent().getPosition()).toList();
        }

        @Override public boolean isCancelled() { return false; }
        @Override public void setOnCancelHandler(Runnable handler) { }
        @Override public void setCompression(String compression) { }
        @Override public boolean isReady() { return ready; }
        @Override public void setOnReadyHandler(Runnable handler) { onReady = handler; }
        @Override public void disableAutoInboundFlowControl() { }
        @Override public void request(int count) { }
        @Override public void setMessageCompression(boolean enable) { }
        @Override public void onNext(SubscribeResponse value) { sent.add(value); }
        @Override public void onError(Throwable t) { }
        @Override public void onCompleted() { }
    }
}
