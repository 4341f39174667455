package io.sluice.bench.soak;

import java.time.Duration;

/**
 * A soak's settings, validated once.
 *
 * @param length     how long the load runs (faults included); draining and checking come after
 * @param faultEvery the interval of the fault schedule
 * @param outage     how long a PostgreSQL outage lasts
 * @param seed       the generators' seed
 */
public record SoakSettings(Duration length, Duration faultEvery, Duration outage, long seed) {

    /** Load after the last fault, so its recovery shows under load. */
    public static final Duration QUIET = Duration.ofSeconds(30);
    /** The time allowed, after the load stops, for PostgreSQL to hold everything sent. */
    public static final Duration DRAIN = Duration.ofMinutes(5);

    public SoakSettings {
        if (length.compareTo(Duration.ofMinutes(1)) < 0) throw new IllegalArgumentException("--minutes must be at least 1");
        if (faultEvery.compareTo(Duration.ofSeconds(20)) < 0) {
            throw new IllegalArgumentException("--fault-every-s must be at least 20: a fault needs time to recover from");
        }
        if (outage.isNegative() || outage.isZero() || outage.compareTo(faultEvery) >= 0) {
            throw new IllegalArgumentException("--outage-s must be positive and shorter than --fault-every-s");
        }
    }

    public FaultSchedule schedule() {
        return new FaultSchedule(length, faultEvery, QUIET, java.util.List.of(FaultKind.values()));
    }
}
