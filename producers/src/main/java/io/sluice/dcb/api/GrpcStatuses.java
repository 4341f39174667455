package io.sluice.dcb.api;

import io.grpc.Status;
import io.grpc.StatusException;
import io.sluice.schemas.dcb.AppendResult;

/**
 * The one mapping from the store's failures to gRPC status codes, the counterpart of the HTTP
 * statuses: a broken rule or limit (400) INVALID_ARGUMENT, too large (413) RESOURCE_EXHAUSTED, a
 * failed condition FAILED_PRECONDITION, the store behind or down (503) UNAVAILABLE: retryable, and
 * an append retried with the same command id is applied at most once.
 */
final class GrpcStatuses {

    private GrpcStatuses() {
    }

    static StatusException of(Throwable failure) {
        return switch (failure) {
            case StatusException e -> e;
            case BadRequestException e -> Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
            case TooLargeException e -> Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asException();
            case JsonHandler.Unavailable e -> Status.UNAVAILABLE.withDescription(e.getMessage()).asException();
            case java.sql.SQLException e -> Status.UNAVAILABLE.withDescription("reading from PostgreSQL failed: " + e.getMessage())
                    .asException();
            case InterruptedException e -> Status.CANCELLED.withDescription("the call was cancelled").asException();
            default -> Status.INTERNAL.withDescription(failure.toString()).withCause(failure).asException();
        };
    }

    /** An answer of the decider that is not an append: a failed condition or a rejection. */
    static StatusException notAppended(AppendResult result) {
        return switch (result.getOutcome()) {
            case CONDITION_FAILED -> Status.FAILED_PRECONDITION
                    .withDescription("the append condition failed: an event matching it exists after its position").asException();
            case REJECTED -> Status.INVALID_ARGUMENT.withDescription("rejected: " + result.getError()).asException();
            case APPENDED -> throw new IllegalArgumentException("an appended result is not a failure");
        };
    }
}
