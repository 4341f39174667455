package io.sluice.backfill.watch;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.grpc.v1.BackfillServiceGrpc;
import io.sluice.grpc.v1.DidStatusChange;
import io.sluice.grpc.v1.WatchStatusRequest;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;

import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sluice.v1.BackfillService.WatchStatus} (server streaming): each call is one {@link StatusWatch},
 * a consumer of its own on the status topic on a worker thread, that sends the run's DID statuses
 * while the client reads and is closed when the client cancels.
 */
public final class GrpcStatusWatch extends BackfillServiceGrpc.BackfillServiceImplBase {

    private final ConnectionSettings connection;
    private final Topic<String, DidStatus> topic;
    private final Executor workers;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();

    /** Watches {@code statusTopic} (backfill.status, or a test's) with the registry of {@code connection}. */
    public GrpcStatusWatch(ConnectionSettings connection, String statusTopic, Executor workers) {
        this.connection = connection;
        // a reader: it registers nothing, and takes the writers' schemas from the registry
        this.topic = Topics.fromConfig(new AvroSerdeConfig(connection.requireRegistry(), false, true)).backfillStatus()
                .withName(statusTopic);
        this.workers = workers;
    }

    @Override
    public void watchStatus(WatchStatusRequest request, StreamObserver<DidStatusChange> responses) {
        if (request.getRunId().isBlank()) {
            responses.onError(Status.INVALID_ARGUMENT.withDescription("run_id is required").asException());
            return;
        }
        StatusWatch watch = new StatusWatch(connection, topic, request.getRunId(), Set.copyOf(request.getDidsList()),
                request.getFromBeginning(), (ServerCallStreamObserver<DidStatusChange>) responses, open, sent);
        workers.execute(watch::run);
    }

    /** Watches whose consumer is open right now (a cancelled one closes its consumer at once). */
    public int openWatches() {
        return open.get();
    }

    /** Changes sent on every watch since start (the tests watch a stopped reader with it). */
    public long changesSent() {
        return sent.get();
    }
}
