package io.sluice.bench.grpc;

import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.dcb.api.DcbLoad;
import io.sluice.grpc.v1.AppendCondition;
import io.sluice.grpc.v1.AppendMode;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.AppendStreamRequest;
import io.sluice.grpc.v1.AppendStreamResponse;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.NewEvent;
import io.sluice.grpc.v1.Query;
import io.sluice.grpc.v1.QueryItem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gRPC side of the append series, the same append as {@link DcbLoad#appends} sends over HTTP:
 * one {@code UserRegistered} event tagged with a username of its own, on the condition that no such
 * event exists ({@code after: 0}), so the decider looks the tag up each time. Produces a
 * {@link DcbLoad.Result} like the HTTP load's, so both print side by side. Unary: {@code callers}
 * blocking calls, each sending the next when answered. Stream: ASYNC AppendStreams, each keeping
 * up to {@code inFlight} appends outstanding.
 */
final class GrpcAppendLoad {

    private static final long DEADLINE_SECONDS = 60;

    private GrpcAppendLoad() {
    }

    static DcbLoad.Result unary(Channel channel, String runId, int callers, Duration duration) throws InterruptedException {
        DcbServiceGrpc.DcbServiceBlockingStub stub = DcbServiceGrpc.newBlockingStub(channel);
        Tally tally = new Tally();
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < callers; c++) {
                String prefix = runId + "-" + c + "-";
                pool.execute(() -> {
                    for (int i = 0; System.nanoTime() < end; i++) {
                        long sent = System.nanoTime();
                        try {
                            stub.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).append(append(prefix + i));
                            tally.answered(System.nanoTime() - sent);
                        } catch (StatusRuntimeException e) {
                            tally.failed(e.getStatus().getCode().value(), e.getStatus().toString(), System.nanoTime() - sent);
                        }
                    }
                });
            }
        }
        return tally.result(callers, (System.nanoTime() - started) / 1e9);
    }

    /** {@code streams} ASYNC AppendStreams, each with up to {@code inFlight} appends outstanding. */
    static DcbLoad.Result stream(Channel channel, String runId, int streams, int inFlight, Duration duration)
            throws InterruptedException {
        DcbServiceGrpc.DcbServiceStub stub = DcbServiceGrpc.newStub(channel);
        Tally tally = new Tally();
        long started = System.nanoTime();
        long end = started + duration.toNanos();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < streams; s++) {
                String prefix = runId + "-" + s + "-";
                pool.execute(() -> oneStream(stub, prefix, inFlight, end, tally));
            }
        }
        return tally.result(streams * inFlight, (System.nanoTime() - started) / 1e9);
    }

    private static void oneStream(DcbServiceGrpc.DcbServiceStub stub, String prefix, int inFlight, long end, Tally tally) {
        Semaphore permits = new Semaphore(inFlight);
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        CountDownLatch closed = new CountDownLatch(1);
        StreamObserver<AppendStreamRequest> requests = stub.appendStream(new StreamObserver<>() {
            @Override
            public void onNext(AppendStreamResponse response) {
                Long sent = sentAt.remove(response.getCommandId());
                long latency = System.nanoTime() - (sent == null ? System.nanoTime() : sent);
                if (response.hasAppended()) tally.answered(latency);
                else tally.failed(response.getError().getCode(), response.getError().getMessage(), latency);
                permits.release();
            }

            @Override
            public void onError(Throwable t) {
                tally.failed(Status.fromThrowable(t).getCode().value(), t.toString(), 0);
                closed.countDown();
                permits.release(inFlight);
            }

            @Override
            public void onCompleted() {
                closed.countDown();
            }
        });
        try {
            for (int i = 0; System.nanoTime() < end && closed.getCount() > 0; i++) {
                if (!permits.tryAcquire(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
                String id = prefix + i;
                sentAt.put(id, System.nanoTime());
                requests.onNext(AppendStreamRequest.newBuilder().setMode(AppendMode.ASYNC).setAppend(append(id)).build());
            }
            // what is in flight at the end is waited for and counted, as the HTTP clients' last requests are
            permits.acquire(inFlight);
            requests.onCompleted();
            closed.await(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            requests.onError(Status.CANCELLED.asException());
            Thread.currentThread().interrupt();
        }
    }

    static AppendRequest append(String id) {
        String user = "username:" + id;
        return AppendRequest.newBuilder().setCommandId(id)
                .addEvents(NewEvent.newBuilder().setType("UserRegistered").addTags(user).setData("{}"))
                .setCondition(AppendCondition.newBuilder().setAfter(0).setFailIfEventsMatch(Query.newBuilder()
                        .addItems(QueryItem.newBuilder().addTypes("UserRegistered").addTags(user))))
                .build();
    }

    /** Answers, condition failures, errors and latencies from many threads. */
    private static final class Tally {
        private static final int CONDITION_FAILED = Status.Code.FAILED_PRECONDITION.value();

        private final List<Long> latencies = new ArrayList<>();
        private final LongAdder conditionFailed = new LongAdder();
        private final AtomicLong errors = new AtomicLong();
        private final AtomicReference<String> firstError = new AtomicReference<>("");

        synchronized void answered(long nanos) {
            latencies.add(nanos);
        }

        void failed(int code, String message, long nanos) {
            if (code == CONDITION_FAILED) {
                conditionFailed.increment();
                answered(nanos);
                return;
            }
            errors.incrementAndGet();
            firstError.compareAndSet("", message);
        }

        synchronized DcbLoad.Result result(int clients, double seconds) {
            long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
            return new DcbLoad.Result(clients, seconds, nanos.length, conditionFailed.sum(), errors.get(),
                    Latencies.p50(nanos), Latencies.p99(nanos), firstError.get());
        }
    }
}
