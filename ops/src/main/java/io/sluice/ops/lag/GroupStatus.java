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
 *                        when there is no lag; empty when the lag is not shrinking (or on the first sample)
 */
public record GroupStatus(GroupLag lag, Status status, double ratePerSecond, Optional<Duration> timeToDrain) {

    /**
     * In order of precedence: the first that applies wins.
     */
    public enum Status {
        /** No active members, and lag: records wait and nobody will read them (a stopped or crashed service). */
        ERROR,
        /** No active members and no lag: nothing to do and nobody doing it. */
        IDLE,
        /** Members, and a partition with lag whose committed offset has not moved over the whole stall window. */
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
