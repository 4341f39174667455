package io.sluice.dcb.service;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.sluice.dcb.api.DcbGrpcServer;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.service.testing.GrpcStore;
import io.sluice.dcb.service.testing.StreamRecorder;
import io.sluice.grpc.v1.AppendMode;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.AppendStreamRequest;
import io.sluice.grpc.v1.AppendStreamResponse;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.Event;
import io.sluice.grpc.v1.IntakeServiceGrpc;
import io.sluice.grpc.v1.PublishDidsRequest;
import io.sluice.grpc.v1.PublishDidsResponse;
import io.sluice.grpc.v1.ReadRequest;
import io.sluice.grpc.v1.ReadResponse;
import io.sluice.grpc.v1.SubscribeRequest;
import io.sluice.grpc.v1.SubscribeResponse;
import io.sluice.testing.ForcedGc;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.sluice.dcb.service.testing.GrpcRequests.append;
import static io.sluice.dcb.service.testing.GrpcRequests.byTag;
import static io.sluice.dcb.service.testing.GrpcRequests.ids;
import static io.sluice.dcb.service.testing.GrpcRequests.tag;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellation per streaming pattern, and a subscriber that stops reading for 30 s, against the real
 * store (issue 18): a Read cancelled mid-stream stops at once; an AppendStream cancelled with commands
 * in flight appends each at most once, and its retry under the same command ids appends each exactly
 * once overall; a cancelled PublishDids answers no summary and leaves the service taking calls; a
 * subscriber that stops reading while appends go on for 30 s holds the server's heap flat, and reads
 * every event, in order, once it reads again.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DcbGrpcCancellationIT {

    private static final String KB2 = "k".repeat(2000);
    private static GrpcStore store;
    private static DcbGrpcServer grpc;
    private static ManagedChannel channel;
    private static DcbServiceGrpc.DcbServiceBlockingStub blocking;
    private static DcbServiceGrpc.DcbServiceStub async;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        store = GrpcStore.start(stack, stateDir, GrpcConfig.defaults(0));
        grpc = store.grpc();
        channel = store.channel();
        blocking = DcbServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
        async = DcbServiceGrpc.newStub(channel);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (store != null) store.close();
    }

    @Test
    void aReadCancelledMidStreamStopsAtOnce() throws Exception {
        String tag = tag("cancelled-read");
        int total = 100 * 100;
        for (int i = 0; i < 100; i++) blocking.append(append("", 100, tag, KB2));
        StreamRecorder<ReadRequest, ReadResponse> reader = new StreamRecorder<>(0) {
            @Override
            public void onNext(ReadResponse value) {
                super.onNext(value);
                if (messages.size() == 5) cancel(); // reading as fast as it can, then gone
            }
        };
        long sentBefore = grpc.eventsSent();
        async.read(ReadRequest.newBuilder().setQuery(byTag(tag)).build(), reader);
        assertThat(reader.error.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
        Thread.sleep(500);
        long atCancel = grpc.eventsSent() - sentBefore;
        Thread.sleep(1_500);
        System.out.printf("a Read of %d events cancelled after 5 messages: the server sent %d events%n", total, atCancel);
        assertThat(grpc.eventsSent() - sentBefore).as("nothing sent after the cancel").isEqualTo(atCancel);
        assertThat(atCancel).as("the read stopped mid-stream").isLessThan(total);
    }

    @Test
    void anAppendStreamCancelledInFlightAppendsEachCommandOnceWithItsRetry() throws Exception {
        String tag = tag("cancelled-stream");
        List<AppendRequest> commands = new ArrayList<>();
        for (String id : ids(tag, 200)) commands.add(append(id, 1, tag, id));
        StreamRecorder<AppendStreamRequest, AppendStreamResponse> first = new StreamRecorder<>(0);
        StreamObserver<AppendStreamRequest> requests = async.appendStream(first);
        send(requests, commands);
        first.next(Duration.ofSeconds(30)); // some are decided: cancel with the rest in flight
        first.cancel();
        assertThat(first.error.get(30, TimeUnit.SECONDS)).isInstanceOf(StatusRuntimeException.class);
        int answeredBefore = first.messages.size() + 1;

        // the client retries every command under its id, as after a lost connection
        StreamRecorder<AppendStreamRequest, AppendStreamResponse> retry = new StreamRecorder<>(0);
        StreamObserver<AppendStreamRequest> again = async.withDeadlineAfter(60, TimeUnit.SECONDS).appendStream(retry);
        send(again, commands);
        again.onCompleted();
        List<AppendStreamResponse> answers = retry.take(commands.size(), Duration.ofSeconds(30));
        assertThat(retry.error.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(answers).allSatisfy(a -> assertThat(a.hasAppended()).as(a.toString()).isTrue());

        List<Event> stored = new ArrayList<>();
        blocking.read(ReadRequest.newBuilder().setQuery(byTag(tag)).build()).forEachRemaining(r -> stored.addAll(r.getEventsList()));
        System.out.printf("an AppendStream of %d commands cancelled after %d answers, then retried: %d events stored%n",
                commands.size(), answeredBefore, stored.size());
        assertThat(stored).extracting(Event::getData).as("each command appended exactly once")
                .containsExactlyInAnyOrderElementsOf(ids(tag, commands.size()).stream().map(id -> id + "-0").toList());
        Map<String, Long> positions = new HashMap<>();
        stored.forEach(e -> positions.put(e.getData().substring(0, e.getData().length() - 2), e.getPosition()));
        assertThat(answers).as("the retry answered each id with its stored position").allSatisfy(a ->
                assertThat(a.getAppended().getFirstPosition()).isEqualTo(positions.get(a.getCommandId())));
    }

    @Test
    void aCancelledPublishDidsAnswersNoSummaryAndTheServiceTakesTheNextCall() throws Exception {
        IntakeServiceGrpc.IntakeServiceStub intake = IntakeServiceGrpc.newStub(channel);
        StreamRecorder<PublishDidsRequest, PublishDidsResponse> cancelled = new StreamRecorder<>(0);
        StreamObserver<PublishDidsRequest> lines = intake.publishDids(cancelled);
        lines.onNext(PublishDidsRequest.newBuilder().addLines("did:plc:cancelledcancelledcancel").build());
        cancelled.cancel();
        assertThat(cancelled.error.get(30, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
        assertThat(cancelled.messages).as("no summary for a cancelled call").isEmpty();

        StreamRecorder<PublishDidsRequest, PublishDidsResponse> next = new StreamRecorder<>(0);
        StreamObserver<PublishDidsRequest> more = intake.withDeadlineAfter(60, TimeUnit.SECONDS).publishDids(next);
        more.onNext(PublishDidsRequest.newBuilder().addLines("did:web:after-a-cancel.example.com").build());
        more.onCompleted();
        assertThat(next.next(Duration.ofSeconds(30)).getPublished()).isEqualTo(1);
    }

    @Test
    void aSubscriberPausedFor30sUnderAnAppendLoadHoldsTheHeapFlat() throws Exception {
        String tag = tag("paused-30s");
        StreamRecorder<SubscribeRequest, SubscribeResponse> paused = new StreamRecorder<>(1); // the heartbeat, then nothing
        async.subscribe(SubscribeRequest.newBuilder().setQuery(byTag(tag)).build(), paused);
        assertThat(paused.next(Duration.ofSeconds(15)).hasHeartbeat()).isTrue();
        int appended = appendFor(Duration.ofSeconds(5), tag); // warm-up: the producer's and the tail's buffers fill
        ForcedGc.collect();
        long before = heapUsed();
        appended += appendFor(Duration.ofSeconds(30), tag);
        ForcedGc.collect();
        long after = heapUsed();
        long appendedBytes = (long) appended * 100 * KB2.length();
        System.out.printf("a subscriber paused for 30 s while %d events (%d MiB) were appended: heap %d -> %d MiB (%+d KiB)%n",
                appended * 100, appendedBytes >> 20, before >> 20, after >> 20, (after - before) >> 10);
        // were it buffered for the paused subscriber, the heap would grow by at least what was appended since
        assertThat(after - before).as("heap growth while the subscriber is paused").isLessThan(32L << 20);

        paused.call.request(Integer.MAX_VALUE);
        long previous = 0;
        int events = 0;
        while (events < appended * 100) {
            SubscribeResponse message = paused.next(Duration.ofSeconds(30));
            if (!message.hasEvent()) continue;
            assertThat(message.getEvent().getPosition()).isGreaterThan(previous);
            previous = message.getEvent().getPosition();
            events++;
        }
        paused.cancel();
    }

    /** Appends of 100 events of 2 KB each, one after another, for {@code duration}; returns how many. */
    private static int appendFor(Duration duration, String tag) {
        long end = System.nanoTime() + duration.toNanos();
        int appends = 0;
        while (System.nanoTime() < end) {
            blocking.append(append("", 100, tag, KB2));
            appends++;
        }
        return appends;
    }

    private static void send(StreamObserver<AppendStreamRequest> requests, List<AppendRequest> commands) {
        boolean first = true;
        for (AppendRequest command : commands) {
            AppendStreamRequest.Builder message = AppendStreamRequest.newBuilder().setAppend(command);
            if (first) message.setMode(AppendMode.ASYNC);
            first = false;
            requests.onNext(message.build());
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
