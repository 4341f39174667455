package io.sluice.dcb.api;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.grpc.server.GrpcFlowGate;
import io.sluice.grpc.v1.AppendError;
import io.sluice.grpc.v1.AppendMode;
import io.sluice.grpc.v1.AppendStreamRequest;
import io.sluice.grpc.v1.AppendStreamResponse;

import java.util.concurrent.Executor;

/**
 * One {@code AppendStream}: consumes append requests, produces one answer per request carrying its
 * command id. Requests are pulled from the client only as fast as they are answered (inbound flow
 * control): ORDERED pulls the next once the previous is answered, so each is decided after the one
 * before and the answers come in request order; ASYNC keeps up to
 * {@link GrpcConfig#maxInFlightPerStream()} deciding at once, each answered when decided. An answer
 * waits while the client is not reading, which stops the pulling too, so nothing queues without
 * bound. A request's failure is its answer; the stream ends when the client has half-closed and
 * every request is answered.
 */
final class GrpcAppendStream implements StreamObserver<AppendStreamRequest> {

    private final ServerCallStreamObserver<AppendStreamResponse> out;
    private final GrpcAppends appends;
    private final Executor workers;
    private final int maxInFlight;
    private final GrpcFlowGate gate;
    private final Object lock = new Object();
    private AppendMode mode; // the first request's; only the call's thread touches it
    private int pending;
    private boolean halfClosed;
    private boolean completed;

    /** Call inside the RPC method: it takes over the call's inbound flow control. */
    GrpcAppendStream(ServerCallStreamObserver<AppendStreamResponse> out, GrpcAppends appends, Executor workers, int maxInFlight) {
        this.out = out;
        this.appends = appends;
        this.workers = workers;
        this.maxInFlight = maxInFlight;
        this.gate = new GrpcFlowGate(out, () -> { });
        out.disableAutoRequest();
        out.request(1);
    }

    @Override
    public void onNext(AppendStreamRequest request) {
        AppendMode asked = request.getMode() == AppendMode.APPEND_MODE_UNSPECIFIED ? null : request.getMode();
        if (mode == null) {
            mode = asked == AppendMode.ASYNC ? AppendMode.ASYNC : AppendMode.ORDERED;
            if (mode == AppendMode.ASYNC && maxInFlight > 1) out.request(maxInFlight - 1);
        }
        String id = request.getAppend().getCommandId();
        synchronized (lock) {
            pending++;
        }
        Runnable task;
        if (asked != null && asked != mode) {
            task = () -> answer(failure(id, Status.INVALID_ARGUMENT.withDescription("mode " + asked + " differs from the"
                    + " stream's " + mode + " (set by its first request): leave it unspecified after the first").asException()));
        } else if (id.isEmpty()) {
            task = () -> answer(failure(id, Status.INVALID_ARGUMENT.withDescription("command_id is required on an"
                    + " AppendStream: the answer carries it").asException()));
        } else {
            task = () -> answer(decide(id, request.getAppend()));
        }
        // on the call's context: a cancelled stream stops the waits of its appends
        workers.execute(Context.current().wrap(task));
    }

    private AppendStreamResponse decide(String id, io.sluice.grpc.v1.AppendRequest append) {
        try {
            return AppendStreamResponse.newBuilder().setCommandId(id).setAppended(appends.decide(append)).build();
        } catch (StatusException e) {
            return failure(id, e);
        }
    }

    private static AppendStreamResponse failure(String id, StatusException e) {
        return AppendStreamResponse.newBuilder().setCommandId(id).setError(AppendError.newBuilder()
                .setCode(e.getStatus().getCode().value())
                .setMessage(e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription())).build();
    }

    private void answer(AppendStreamResponse response) {
        boolean sent = false;
        try {
            sent = gate.awaitReady();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            pending--;
            if (gate.cancelled()) return;
            if (sent) out.onNext(response);
            if (halfClosed && pending == 0) {
                complete();
            } else if (!halfClosed) {
                out.request(1);
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        // the client cancelled: the gate saw it, and answers still being decided are dropped
    }

    @Override
    public void onCompleted() {
        synchronized (lock) {
            halfClosed = true;
            if (pending == 0) complete();
        }
    }

    /** Under {@link #lock}, which also keeps onNext and onCompleted of the answers from overlapping. */
    private void complete() {
        if (completed) return;
        completed = true;
        out.onCompleted();
    }
}
