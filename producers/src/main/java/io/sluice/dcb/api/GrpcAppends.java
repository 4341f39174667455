package io.sluice.dcb.api;

import io.grpc.Context;
import io.grpc.StatusException;
import io.sluice.grpc.v1.AppendResponse;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;

import java.time.Instant;
import java.util.UUID;

/**
 * Decides one {@code sluice.v1.AppendRequest} through the same {@link Appender} as
 * {@code POST /append} (dcb.commands to the decider, its answer from dcb.results): checked by the
 * same rules, the command id as the idempotency key, so a retried id gets the first outcome. A
 * cancelled call (or one whose deadline passed) stops waiting at once; the append may still be
 * decided, as after a timeout. Thread-safe.
 */
final class GrpcAppends {

    private final Appender appender;
    private final ApiLimits limits;

    GrpcAppends(Appender appender, ApiLimits limits) {
        this.appender = appender;
        this.limits = limits;
    }

    /**
     * Blocks until the decider answers; run on the call's context (its cancellation interrupts the wait).
     *
     * @throws StatusException anything but an append: see {@link GrpcStatuses}
     */
    AppendResponse decide(io.sluice.grpc.v1.AppendRequest request) throws StatusException {
        long started = System.nanoTime();
        Thread caller = Thread.currentThread();
        Context context = Context.current();
        Context.CancellationListener interrupt = cancelled -> caller.interrupt();
        context.addListener(interrupt, Runnable::run);
        try {
            String key = request.getCommandId().isEmpty() ? null : AppendHandler.checkedKey(request.getCommandId(), "command_id");
            AppendRequest checked = GrpcMessages.append(request, limits.request());
            AppendResult result = appender.append(checked.toCommand(UUID.randomUUID().toString(), key, Instant.now()));
            if (result.getOutcome() != AppendOutcome.APPENDED) throw GrpcStatuses.notAppended(result);
            return AppendResponse.newBuilder().setFirstPosition(result.getFirstPosition())
                    .setLastPosition(result.getLastPosition()).setDurationMicros((System.nanoTime() - started) / 1_000).build();
        } catch (StatusException e) {
            throw e;
        } catch (Exception e) {
            throw GrpcStatuses.of(e);
        } finally {
            context.removeListener(interrupt);
            // an interrupt that came after the answer must not reach the next task of this thread
            Thread.interrupted();
        }
    }
}
