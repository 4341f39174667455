package io.sluice.backfill.publish;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.grpc.v1.IntakeServiceGrpc;
import io.sluice.grpc.v1.PublishDidsRequest;
import io.sluice.grpc.v1.PublishDidsResponse;
import org.apache.kafka.common.KafkaException;

import java.io.IOException;
import java.util.concurrent.Executor;

/**
 * {@code sluice.v1.IntakeService.PublishDids} (client streaming): each call is one publish-dids run
 * under a new run id, {@link DidPublisher#publish} reading the client's lines through
 * {@link GrpcLinesInput} on a thread of its own, so validation, de-duplication and the summary are
 * publish-dids' own. Answers once the broker acknowledged every DID; a Kafka failure is UNAVAILABLE.
 */
public final class GrpcDidIntake extends IntakeServiceGrpc.IntakeServiceImplBase {

    private final ConnectionSettings connection;
    private final Executor workers;

    public GrpcDidIntake(ConnectionSettings connection, Executor workers) {
        this.connection = connection;
        this.workers = workers;
    }

    @Override
    public StreamObserver<PublishDidsRequest> publishDids(StreamObserver<PublishDidsResponse> responses) {
        ServerCallStreamObserver<PublishDidsResponse> out = (ServerCallStreamObserver<PublishDidsResponse>) responses;
        GrpcLinesInput input = new GrpcLinesInput(out);
        out.setOnCancelHandler(input::cancel);
        workers.execute(() -> {
            try (DidPublisher publisher = DidPublisher.create(PublishDidsConfig.of(connection, null))) {
                PublishSummary summary = publisher.publish(input, -1, progress -> { });
                out.onNext(response(summary));
                out.onCompleted();
            } catch (IOException e) {
                // cancelled: nobody to answer
            } catch (KafkaException e) {
                out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asException());
            } catch (RuntimeException e) {
                out.onError(Status.INTERNAL.withDescription(e.toString()).asException());
            }
        });
        return new StreamObserver<>() {
            @Override
            public void onNext(PublishDidsRequest request) {
                input.add(request.getLinesList());
            }

            @Override
            public void onError(Throwable t) {
                input.cancel();
            }

            @Override
            public void onCompleted() {
                input.end();
            }
        };
    }

    private static PublishDidsResponse response(PublishSummary summary) {
        PublishDidsResponse.Builder response = PublishDidsResponse.newBuilder().setRunId(summary.runId())
                .setTopic(summary.topic()).setLines(summary.lines()).setPublished(summary.published())
                .setDuplicates(summary.duplicates()).setInvalid(summary.invalid());
        for (InvalidLine line : summary.invalidLines()) {
            response.addInvalidLinesBuilder().setLine(line.number()).setText(line.text()).setReason(line.reason());
        }
        return response.build();
    }
}
