package io.sluice.dcb.service;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.dcb.api.DcbGrpcServer;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.service.testing.GrpcStore;
import io.sluice.dcb.service.testing.StreamRecorder;
import io.sluice.grpc.v1.BackfillServiceGrpc;
import io.sluice.grpc.v1.DidStatusChange;
import io.sluice.grpc.v1.WatchStatusRequest;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.TopicNames;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice.v1.BackfillService.WatchStatus} against the real broker and registry: statuses produced
 * to backfill.status as the backfill stages produce them (Avro DidStatus keyed by DID) reach a watcher of
 * their run, from the beginning or from now on, filtered by DID; other runs' do not. A watcher that stops
 * reading loses nothing when it reads again, and a cancelled watch closes its consumer at once.
 */
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BackfillWatchStatusIT {

    private static GrpcStore store;
    private static DcbGrpcServer grpc;
    private static KafkaProducer<String, DidStatus> producer;
    private static Topic<String, DidStatus> statusTopic;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        store = GrpcStore.start(stack, stateDir, GrpcConfig.defaults(0));
        grpc = store.grpc();
        TopicAdmin.ensure(stack.connection(), List.of(TopicNames.BACKFILL_STATUS), 3, TopicAdmin.DEFAULT_TIMEOUT);
        statusTopic = Topics.fromConfig(new AvroSerdeConfig(stack.connection().requireRegistry(), true, true)).backfillStatus();
        Map<String, Object> props = stack.connection().producer();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, statusTopic.keySerde().serializer(), statusTopic.valueSerde().serializer());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (producer != null) producer.close();
        if (store != null) store.close();
    }

    @Test
    void aWatcherFromTheBeginningGetsItsRunsStatusesInEachDidsOrderThenLiveOnes() throws Exception {
        String run = "run-" + UUID.randomUUID();
        String a = did(), b = did(), c = did();
        send(status(a, run, DidState.QUEUED), status(b, run, DidState.QUEUED), status(a, run, DidState.RESOLVED),
                status(c, "run-other-" + UUID.randomUUID(), DidState.QUEUED), status(a, run, DidState.DONE));

        Watcher watcher = watch(WatchStatusRequest.newBuilder().setRunId(run).setFromBeginning(true).build(), 0);
        List<DidStatusChange> caughtUp = watcher.take(4);
        assertThat(caughtUp).allSatisfy(change -> assertThat(change.getRunId()).isEqualTo(run));
        assertThat(states(caughtUp, a)).containsExactly("DID_STATE_QUEUED", "DID_STATE_RESOLVED", "DID_STATE_DONE");
        assertThat(states(caughtUp, b)).containsExactly("DID_STATE_QUEUED");
        DidStatusChange done = caughtUp.stream().filter(ch -> ch.getDid().equals(a) && ch.getState().name().endsWith("DONE"))
                .findFirst().orElseThrow();
        assertThat(done.getPds()).isEqualTo("https://pds.example.com");
        assertThat(done.getRecords()).isEqualTo(42);
        assertThat(done.getRev()).isEqualTo("3l3qo2vutsw2b");
        assertThat(done.getUpdatedAtMillis()).isEqualTo(1_800_000_000_000L);

        send(status(b, run, DidState.FAILED));
        DidStatusChange live = watcher.take(1).getFirst();
        assertThat(live.getDid()).isEqualTo(b);
        assertThat(live.getState().name()).isEqualTo("DID_STATE_FAILED");
        assertThat(live.getLastError()).isEqualTo("it failed");
        assertThat(watcher.messages.poll(1, TimeUnit.SECONDS)).as("nothing of the other run").isNull();
        watcher.cancel();
    }

    @Test
    void aWatcherFromNowOnGetsOnlyNewChangesOfTheDidsItAskedFor() throws Exception {
        String run = "run-" + UUID.randomUUID();
        String a = did(), b = did(), marker = did();
        send(status(b, run, DidState.QUEUED));
        Watcher watcher = watch(WatchStatusRequest.newBuilder().setRunId(run).addDids(b).addDids(marker).build(), 0);
        // The watch takes the topic's end once its consumer is up; a marker that arrives says it is.
        DidStatusChange first = null;
        while (first == null) {
            send(status(marker, run, DidState.QUEUED));
            first = watcher.messages.poll(200, TimeUnit.MILLISECONDS);
        }
        assertThat(first.getDid()).as("b's QUEUED was before the call").isEqualTo(marker);
        send(status(a, run, DidState.RESOLVED), status(b, run, DidState.RESOLVED));
        List<DidStatusChange> changes = new ArrayList<>();
        while (changes.isEmpty() || !changes.getLast().getDid().equals(b)) changes.addAll(watcher.take(1));
        assertThat(changes).extracting(DidStatusChange::getDid).as("only markers still on their way, then b's")
                .isSubsetOf(marker, b);
        assertThat(changes.getLast().getState().name()).isEqualTo("DID_STATE_RESOLVED");
        assertThat(watcher.messages.poll(1, TimeUnit.SECONDS)).as("not a's: it was not asked for").isNull();
        watcher.cancel();
    }

    @Test
    void aWatcherThatStopsReadingLosesNothingAndACancelledWatchClosesItsConsumer() throws Exception {
        String run = "run-" + UUID.randomUUID();
        int dids = 50, perDid = 40;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dids; i++) names.add(did());
        Watcher watcher = watch(WatchStatusRequest.newBuilder().setRunId(run).setFromBeginning(true).build(), 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> grpc.statusWatches() >= 1);
        List<DidStatus> statuses = new ArrayList<>();
        for (int n = 0; n < perDid; n++) {
            for (String did : names) {
                DidStatus status = status(did, run, DidState.FETCHING);
                status.setRecords(n);
                status.setLastError("x".repeat(2_000)); // 2 KB each: more than the transport's windows hold
                statuses.add(status);
            }
        }
        long sentBefore = grpc.statusChangesSent();
        send(statuses.toArray(DidStatus[]::new));
        assertThat(watcher.take(1)).hasSize(1);
        // wait for the server to fill what the transport buffers, then see that it stays there
        Thread.sleep(2_000);
        long pausedAt = grpc.statusChangesSent() - sentBefore;
        Thread.sleep(1_500);
        System.out.printf("a stopped watcher of %d changes of 2 KB: the server sent %d and paused%n", statuses.size(), pausedAt);
        assertThat(grpc.statusChangesSent() - sentBefore).as("the consumer is paused while the client does not read")
                .isEqualTo(pausedAt);
        assertThat(pausedAt).as("bounded by the flow-control windows, not the topic").isLessThan(statuses.size() / 4);
        assertThat(watcher.messages).as("a client that asked for one gets one").isEmpty();

        watcher.call.request(Integer.MAX_VALUE);
        List<DidStatusChange> rest = watcher.take(dids * perDid - 1);
        Map<String, List<Long>> recordsByDid = rest.stream().collect(Collectors.groupingBy(DidStatusChange::getDid,
                Collectors.mapping(DidStatusChange::getRecords, Collectors.toList())));
        assertThat(recordsByDid.values()).allSatisfy(records -> assertThat(records).isSorted());

        int before = grpc.statusWatches();
        watcher.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> grpc.statusWatches() == before - 1);
        assertThat(watcher.error.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.CANCELLED));
    }

    @Test
    void aWatchWithoutARunIdIsInvalidArgument() throws Exception {
        Watcher watcher = watch(WatchStatusRequest.newBuilder().build(), 0);
        assertThat(watcher.error.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).contains("run_id");
        });
    }

    // --- helpers

    private static String did() {
        return "did:plc:" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    private static DidStatus status(String did, String run, DidState state) {
        return DidStatus.newBuilder().setDid(did).setRunId(run).setState(state).setPds("https://pds.example.com")
                .setRecords(42).setBytes(4096).setAttempts(1).setUpdatedAt(Instant.ofEpochMilli(1_800_000_000_000L))
                .setLastError(state == DidState.FAILED ? "it failed" : null)
                .setRev(state == DidState.DONE ? "3l3qo2vutsw2b" : null).build();
    }

    private static void send(DidStatus... statuses) throws Exception {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (DidStatus status : statuses) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            producer.send(new ProducerRecord<>(statusTopic.name(), status.getDid(), status),
                    (metadata, e) -> { if (e == null) done.complete(null); else done.completeExceptionally(e); });
            sent.add(done);
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private static List<String> states(List<DidStatusChange> changes, String did) {
        return changes.stream().filter(c -> c.getDid().equals(did)).map(c -> c.getState().name()).toList();
    }

    private static Watcher watch(WatchStatusRequest request, int initialRequests) {
        Watcher watcher = new Watcher(initialRequests);
        BackfillServiceGrpc.newStub(store.channel()).watchStatus(request, watcher);
        return watcher;
    }

    /** A watch's messages in a queue, and a way to cancel it as a client does. */
    private static final class Watcher extends StreamRecorder<WatchStatusRequest, DidStatusChange> {

        Watcher(int initialRequests) {
            super(initialRequests);
        }

        List<DidStatusChange> take(int count) throws InterruptedException {
            return take(count, Duration.ofSeconds(30));
        }
    }
}
