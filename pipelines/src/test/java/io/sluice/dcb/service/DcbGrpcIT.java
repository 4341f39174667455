package io.sluice.dcb.service;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.sluice.dcb.api.DcbGrpcServer;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.service.testing.GrpcStore;
import io.sluice.dcb.service.testing.StreamRecorder;
import io.sluice.grpc.v1.AppendCondition;
import io.sluice.grpc.v1.AppendMode;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.AppendResponse;
import io.sluice.grpc.v1.AppendStreamRequest;
import io.sluice.grpc.v1.AppendStreamResponse;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.Event;
import io.sluice.grpc.v1.IntakeServiceGrpc;
import io.sluice.grpc.v1.PublishDidsRequest;
import io.sluice.grpc.v1.PublishDidsResponse;
import io.sluice.grpc.v1.Query;
import io.sluice.grpc.v1.QueryItem;
import io.sluice.grpc.v1.ReadRequest;
import io.sluice.grpc.v1.ReadResponse;
import io.sluice.grpc.v1.SubscribeRequest;
import io.sluice.grpc.v1.SubscribeResponse;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.sluice.dcb.service.testing.GrpcRequests.append;
import static io.sluice.dcb.service.testing.GrpcRequests.byTag;
import static io.sluice.dcb.service.testing.GrpcRequests.ids;
import static io.sluice.dcb.service.testing.GrpcRequests.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice.v1.DcbService} against the real stack (broker, registry, decider, events sink,
 * PostgreSQL) through grpc-java's own generated stubs: one test per streaming pattern, a retried
 * command id, cancellation and deadlines, a client that stops reading, health and reflection, and
 * IntakeService.PublishDids (client streaming). The tests share one
 * store, so each works under a tag of its own.
 */
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DcbGrpcIT {

    /** Long, so that a live event delivered at once was woken by the commit, not by a heartbeat. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);

    private static GrpcStore store;
    private static DcbGrpcServer grpc;
    private static ManagedChannel channel;
    private static DcbServiceGrpc.DcbServiceBlockingStub blocking;
    private static DcbServiceGrpc.DcbServiceStub async;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        store = GrpcStore.start(stack, stateDir, GrpcConfig.defaults(0).withHeartbeat(HEARTBEAT));
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
    void readStreamsInPositionOrderWithAfterLimitAndBackwards() {
        String tag = tag("read");
        AppendResponse appended = blocking.append(append("", 5, tag, "r"));
        long first = appended.getFirstPosition();
        assertThat(appended.getLastPosition()).isEqualTo(first + 4);

        assertThat(positions(read(ReadRequest.newBuilder().setQuery(byTag(tag)).build())))
                .containsExactly(first, first + 1, first + 2, first + 3, first + 4);
        assertThat(positions(read(ReadRequest.newBuilder().setQuery(byTag(tag)).setAfter(first + 1).setLimit(2).build())))
                .containsExactly(first + 2, first + 3);
        assertThat(positions(read(ReadRequest.newBuilder().setQuery(byTag(tag)).setBackwards(true).build())))
                .containsExactly(first + 4, first + 3, first + 2, first + 1, first);
        assertThat(positions(read(ReadRequest.newBuilder().setQuery(byTag(tag)).setBackwards(true).setAfter(first + 3)
                .setLimit(2).build()))).containsExactly(first + 2, first + 1);

        ReadRequest blankType = ReadRequest.newBuilder()
                .setQuery(Query.newBuilder().addItems(QueryItem.newBuilder().addTypes(" "))).build();
        assertThatThrownBy(() -> read(blankType)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("query.items[0].types[0]");
        });
    }

    @Test
    void subscribeCatchesUpThenDeliversNewEventsAsTheyCommitAndResumesAfterAPosition() throws Exception {
        String tag = tag("sub");
        long first = blocking.append(append("", 2, tag, "before")).getFirstPosition();
        Subscriber subscriber = subscribe(byTag(tag), 0);
        assertThat(subscriber.nextEvent().getPosition()).isEqualTo(first);
        assertThat(subscriber.nextEvent().getPosition()).isEqualTo(first + 1);
        assertThat(subscriber.next().hasHeartbeat()).as("the catch-up ends with the head").isTrue();

        long live = blocking.append(append("", 1, tag, "live")).getFirstPosition();
        long sent = System.nanoTime();
        Event delivered = subscriber.nextEvent();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        assertThat(delivered.getPosition()).isEqualTo(live);
        assertThat(delivered.getData()).isEqualTo("live-0");
        assertThat(millis).as("delivered on commit, long before a heartbeat").isLessThan(HEARTBEAT.toMillis() / 3);
        subscriber.cancel();

        Subscriber resumed = subscribe(byTag(tag), first + 1);
        assertThat(resumed.nextEvent().getPosition()).as("only what came after the position").isEqualTo(live);
        assertThat(resumed.next().getHeartbeat().getHead()).isGreaterThanOrEqualTo(live);
        resumed.cancel();
    }

    @Test
    void aFailedConditionIsFailedPreconditionAndAPassingOneAppends() {
        String tag = tag("cond");
        long position = blocking.append(append("", 1, tag, "v1")).getLastPosition();
        AppendCondition anyMatch = AppendCondition.newBuilder().setFailIfEventsMatch(byTag(tag)).build();

        assertThatThrownBy(() -> blocking.append(append("", 1, tag, "v2").toBuilder().setCondition(anyMatch).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        AppendResponse passed = blocking.append(append("", 1, tag, "v2").toBuilder()
                .setCondition(anyMatch.toBuilder().setAfter(position)).build());
        assertThat(passed.getFirstPosition()).isGreaterThan(position);
        assertThat(read(ReadRequest.newBuilder().setQuery(byTag(tag)).build())).extracting(Event::getData)
                .containsExactly("v1-0", "v2-0");
    }

    @Test
    void orderedAppendStreamAnswersEachRequestInRequestOrder() throws Exception {
        String tag = tag("ordered");
        List<AppendStreamResponse> answers = appendStream(AppendMode.ORDERED, tag, 20);
        assertThat(answers).extracting(AppendStreamResponse::getCommandId)
                .containsExactlyElementsOf(ids(tag, 20));
        assertThat(answers).allSatisfy(a -> assertThat(a.hasAppended()).isTrue());
        assertThat(answers).extracting(a -> a.getAppended().getFirstPosition()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void asyncAppendStreamAnswersEveryRequestOnceDecided() throws Exception {
        String tag = tag("async");
        List<AppendStreamResponse> answers = appendStream(AppendMode.ASYNC, tag, 100);
        assertThat(answers).extracting(AppendStreamResponse::getCommandId)
                .containsExactlyInAnyOrderElementsOf(ids(tag, 100));
        assertThat(answers).allSatisfy(a -> assertThat(a.hasAppended()).isTrue());
        assertThat(answers).extracting(a -> a.getAppended().getFirstPosition()).doesNotHaveDuplicates();
        assertThat(read(ReadRequest.newBuilder().setQuery(byTag(tag)).build())).hasSize(100);
    }

    @Test
    void aRetriedCommandIdReturnsTheFirstOutcome() throws Exception {
        String tag = tag("retry");
        String id = "retry-" + UUID.randomUUID();
        AppendResponse first = blocking.append(append(id, 3, tag, "once"));
        AppendResponse again = blocking.append(append(id, 3, tag, "once"));
        assertThat(again.getFirstPosition()).isEqualTo(first.getFirstPosition());
        assertThat(again.getLastPosition()).isEqualTo(first.getLastPosition());

        // the same on a stream, and the condition's outcome is remembered too
        String conditional = "retry-cond-" + UUID.randomUUID();
        AppendRequest failing = append(conditional, 1, tag, "never").toBuilder()
                .setCondition(AppendCondition.newBuilder().setFailIfEventsMatch(byTag(tag))).build();
        List<AppendStreamResponse> answers = appendStream(AppendMode.ORDERED, List.of(failing, failing,
                append(id, 3, tag, "once")));
        assertThat(answers).extracting(a -> a.getError().getCode())
                .containsExactly(Status.Code.FAILED_PRECONDITION.value(), Status.Code.FAILED_PRECONDITION.value(), 0);
        assertThat(answers.get(2).getAppended().getFirstPosition()).isEqualTo(first.getFirstPosition());
        assertThat(read(ReadRequest.newBuilder().setQuery(byTag(tag)).build())).hasSize(3);

        assertThatThrownBy(() -> blocking.append(append(id, 1, tag, "another")))
                .as("the id used for another append").isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void aCancelledOrExpiredSubscriptionIsFreedAtOnce() throws Exception {
        String tag = tag("cancel");
        Subscriber subscriber = subscribe(byTag(tag), 0);
        assertThat(subscriber.next().hasHeartbeat()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> grpc.subscriptions() == 1);
        subscriber.cancel();
        await().atMost(Duration.ofSeconds(2)).until(() -> grpc.subscriptions() == 0);

        Subscriber expiring = new Subscriber();
        async.withDeadlineAfter(500, TimeUnit.MILLISECONDS)
                .subscribe(SubscribeRequest.newBuilder().setQuery(byTag(tag)).build(), expiring);
        assertThat(expiring.next().hasHeartbeat()).isTrue();
        assertThat(expiring.error.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        await().atMost(Duration.ofSeconds(2)).until(() -> grpc.subscriptions() == 0);
    }

    @Test
    void aReaderThatStopsReadingStopsTheServerUntilItReadsAgain() throws Exception {
        String tag = tag("slow");
        int appends = 100;
        int perAppend = 100;
        for (int i = 0; i < appends; i++) blocking.append(append("", perAppend, tag, "x".repeat(2000)));
        int total = appends * perAppend;

        long sentBefore = grpc.eventsSent();
        StreamRecorder<ReadRequest, ReadResponse> reader = new StreamRecorder<>(1); // takes one message, then stops reading
        BlockingQueue<ReadResponse> received = reader.messages;
        async.read(ReadRequest.newBuilder().setQuery(byTag(tag)).build(), reader);
        ReadResponse first = received.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        // wait for the server to fill what the transport buffers, then see that it stays there
        Thread.sleep(1_000);
        long pausedAt = grpc.eventsSent() - sentBefore;
        Thread.sleep(1_500);
        long later = grpc.eventsSent() - sentBefore;
        System.out.printf("a stopped reader of %d events of 2 KB: the server sent %d and stopped%n", total, pausedAt);
        assertThat(later).as("nothing more is read from PostgreSQL while the client does not read").isEqualTo(pausedAt);
        assertThat(pausedAt).as("bounded by the flow-control windows and a page, not the read").isLessThan(total / 4);
        assertThat(reader.error).isNotDone();

        reader.call.request(Integer.MAX_VALUE);
        assertThat(reader.error.get(30, TimeUnit.SECONDS)).as("the read completes").isNull();
        List<Long> positions = new ArrayList<>();
        received.forEach(r -> r.getEventsList().forEach(e -> positions.add(e.getPosition())));
        assertThat(first.getEventsCount() + positions.size()).as("every event, once").isEqualTo(total);
        assertThat(positions).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aSubscriberThatStopsReadingHoldsBoundedDataAndDoesNotSlowTheOthers() throws Exception {
        String tag = tag("paused");
        long sentBefore = grpc.eventsSent();
        Subscriber paused = new Subscriber(1); // takes the catch-up's heartbeat, then stops reading
        async.subscribe(SubscribeRequest.newBuilder().setQuery(byTag(tag)).build(), paused);
        Subscriber live = subscribe(byTag(tag), 0);
        assertThat(paused.next().hasHeartbeat()).isTrue();
        assertThat(live.next().hasHeartbeat()).isTrue();

        int appends = 100;
        int perAppend = 100;
        int total = appends * perAppend;
        for (int i = 0; i < appends; i++) blocking.append(append("", perAppend, tag, "y".repeat(2000)));
        long previous = 0;
        for (int i = 0; i < total; i++) {
            Event event = live.nextEvent();
            assertThat(event.getPosition()).isGreaterThan(previous);
            previous = event.getPosition();
        }
        Thread.sleep(1_000);
        long toPaused = grpc.eventsSent() - sentBefore - total;
        Thread.sleep(1_000);
        System.out.printf("a paused subscriber while %d events of 2 KB were appended: the server sent it %d and stopped%n",
                total, toPaused);
        assertThat(grpc.eventsSent() - sentBefore - total).as("nothing more for the paused one").isEqualTo(toPaused);
        assertThat(toPaused).as("bounded by the flow-control windows and a page").isLessThan(total / 4);

        paused.call.request(Integer.MAX_VALUE);
        for (int i = 0; i < total; i++) paused.nextEvent();
        paused.cancel();
        live.cancel();
    }

    @Test
    void publishDidsTakesAStreamedListAndAnswersWithPublishDidsSummary() throws Exception {
        CompletableFuture<PublishDidsResponse> summary = new CompletableFuture<>();
        StreamObserver<PublishDidsRequest> lines = IntakeServiceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                .publishDids(new StreamObserver<>() {
                    @Override
                    public void onNext(PublishDidsResponse value) {
                        summary.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        summary.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        lines.onNext(PublishDidsRequest.newBuilder().addLines("did:plc:abcdefghijklmnopqrstuvwx").addLines("# a comment")
                .addLines("not-a-did").build());
        lines.onNext(PublishDidsRequest.newBuilder().addLines("did:plc:abcdefghijklmnopqrstuvwx")
                .addLines("did:web:example.com").build());
        lines.onCompleted();
        PublishDidsResponse answer = summary.get(60, TimeUnit.SECONDS);
        assertThat(answer.getLines()).isEqualTo(5);
        assertThat(answer.getPublished()).isEqualTo(2);
        assertThat(answer.getDuplicates()).isEqualTo(1);
        assertThat(answer.getInvalid()).isEqualTo(1);
        assertThat(answer.getInvalidLinesList()).singleElement().satisfies(line -> {
            assertThat(line.getLine()).isEqualTo(3);
            assertThat(line.getText()).isEqualTo("not-a-did");
            assertThat(line.getReason()).isNotBlank();
        });
        assertThat(answer.getRunId()).startsWith("run-");
    }

    @Test
    void healthChecksAndReflectionAnswerSoProbesAndGrpcurlWork() throws Exception {
        HealthCheckResponse health = HealthGrpc.newBlockingStub(channel)
                .check(HealthCheckRequest.newBuilder().setService(DcbServiceGrpc.SERVICE_NAME).build());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

        CompletableFuture<ServerReflectionResponse> listed = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> reflection = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        listed.complete(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        listed.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        reflection.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        assertThat(listed.get(10, TimeUnit.SECONDS).getListServicesResponse().getServiceList())
                .extracting(ServiceResponse::getName).contains("sluice.v1.DcbService", "sluice.v1.IntakeService", "sluice.v1.BackfillService",
                        "grpc.health.v1.Health");
        reflection.onCompleted();
    }

    // --- helpers

    private static List<Event> read(ReadRequest request) {
        List<Event> events = new ArrayList<>();
        Iterator<ReadResponse> responses = blocking.read(request);
        responses.forEachRemaining(r -> events.addAll(r.getEventsList()));
        return events;
    }

    private static List<Long> positions(List<Event> events) {
        return events.stream().map(Event::getPosition).toList();
    }

    private static List<AppendStreamResponse> appendStream(AppendMode mode, String tag, int count) throws Exception {
        List<AppendRequest> requests = new ArrayList<>();
        for (String id : ids(tag, count)) requests.add(append(id, 1, tag, id));
        List<AppendStreamResponse> answers = appendStream(mode, requests);
        return answers;
    }

    /** Sends every request at once (the server paces them), half-closes, and returns the answers as they came. */
    private static List<AppendStreamResponse> appendStream(AppendMode mode, List<AppendRequest> requests) throws Exception {
        List<AppendStreamResponse> answers = new ArrayList<>();
        CompletableFuture<List<AppendStreamResponse>> done = new CompletableFuture<>();
        StreamObserver<AppendStreamRequest> stream = async.withDeadlineAfter(60, TimeUnit.SECONDS)
                .appendStream(new StreamObserver<>() {
                    @Override
                    public void onNext(AppendStreamResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(answers);
                    }
                });
        boolean first = true;
        for (AppendRequest request : requests) {
            AppendStreamRequest.Builder message = AppendStreamRequest.newBuilder().setAppend(request);
            if (first) message.setMode(mode);
            first = false;
            stream.onNext(message.build());
        }
        stream.onCompleted();
        return done.get(60, TimeUnit.SECONDS);
    }

    private static Subscriber subscribe(Query query, long after) {
        Subscriber subscriber = new Subscriber();
        async.subscribe(SubscribeRequest.newBuilder().setQuery(query).setAfter(after).build(), subscriber);
        return subscriber;
    }

    /** A subscription's messages in a queue, and a way to cancel it as a client does. */
    private static final class Subscriber extends StreamRecorder<SubscribeRequest, SubscribeResponse> {

        Subscriber() {
            this(0);
        }

        Subscriber(int initialRequests) {
            super(initialRequests);
        }

        SubscribeResponse next() throws InterruptedException {
            return next(Duration.ofSeconds(15));
        }

        Event nextEvent() throws InterruptedException {
            SubscribeResponse message = next();
            assertThat(message.hasEvent()).as("an event, got %s", message).isTrue();
            return message.getEvent();
        }
    }
}
