package io.sluice.ops.lag;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A group's health over the last sampling interval, as {@link LagTracker} judges it.
 *
 * @param lag             the latest sample
 * @param status          see {@link Status}
 * @param ratePerSecond   committed offsets advanced per second over the last interval (0 on the first sample)
 * @param timeToDrain     at the net rate the lag shrank over the last interval, until it is gone; zero
 *                        when there is no backlog; empty when the lag is not shrinking (or on the first sample)
 */
public record GroupStatus(GroupLag lag, Status status, double ratePerSecond, Optional<Duration> timeToDrain) {

    /**
     * In order of precedence: the first that applies wins.
     */
    public enum Status {
        /** No active members: nobody consumes, whatever the lag (a stopped service, not a stuck one). */
        IDLE,
        /** Members, a backlog, and no committed progress for the tracker's stall time. */
        STALLED,
        /** Members, a backlog, and the lag grew over the last interval. */
        LAGGING,
        /** Anything else: keeping up, or draining. */
        OK
    }

    public GroupStatus {
        Objects.requireNonNull(lag, "lag");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timeToDrain, "timeToDrain");
    }

    public String groupId() {
        return lag.groupId();
    }
}
