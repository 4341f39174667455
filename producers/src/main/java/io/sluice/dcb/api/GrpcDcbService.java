package io.sluice.dcb.api;

import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.AppendResponse;
import io.sluice.grpc.v1.AppendStreamRequest;
import io.sluice.grpc.v1.AppendStreamResponse;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.ReadRequest;
import io.sluice.grpc.v1.ReadResponse;
import io.sluice.grpc.v1.SubscribeRequest;
import io.sluice.grpc.v1.SubscribeResponse;

import java.util.concurrent.Executor;

/** {@code sluice.v1.DcbService}: each method hands over to the part that does it. */
final class GrpcDcbService extends DcbServiceGrpc.DcbServiceImplBase {

    private final GrpcEventStreams streams;
    private final GrpcAppends appends;
    private final Executor workers;
    private final int maxInFlightPerStream;

    GrpcDcbService(GrpcEventStreams streams, GrpcAppends appends, Executor workers, int maxInFlightPerStream) {
        this.streams = streams;
        this.appends = appends;
        this.workers = workers;
        this.maxInFlightPerStream = maxInFlightPerStream;
    }

    @Override
    public void read(ReadRequest request, StreamObserver<ReadResponse> responses) {
        streams.read(request, responses);
    }

    @Override
    public void subscribe(SubscribeRequest request, StreamObserver<SubscribeResponse> responses) {
        streams.subscribe(request, responses);
    }

    /** Waits for the decider on the call's own (virtual) thread: the server's executor has one per call. */
    @Override
    public void append(AppendRequest request, StreamObserver<AppendResponse> responses) {
        try {
            responses.onNext(appends.decide(request));
            responses.onCompleted();
        } catch (StatusException e) {
            responses.onError(e);
        }
    }

    @Override
    public StreamObserver<AppendStreamRequest> appendStream(StreamObserver<AppendStreamResponse> responses) {
        return new GrpcAppendStream((ServerCallStreamObserver<AppendStreamResponse>) responses, appends, workers,
                maxInFlightPerStream);
    }
}
