package io.sluice.backfill.simulator;

/**
 * Delay added before every response of a virtual PDS host: {@code fixedMillis} plus a
 * pseudo-random {@code [0, jitterMillis)}, drawn from the seeded per-request sequence.
 */
public record Latency(int fixedMillis, int jitterMillis) {

    public static final Latency NONE = new Latency(0, 0);

    public Latency {
        if (fixedMillis < 0 || jitterMillis < 0) {
            throw new IllegalArgumentException("latency must not be negative, got fixed=" + fixedMillis
                    + "ms jitter=" + jitterMillis + "ms");
        }
        if (fixedMillis > 60_000 || jitterMillis > 60_000) {
            throw new IllegalArgumentException("latency above 60 s is not a latency, got fixed=" + fixedMillis
                    + "ms jitter=" + jitterMillis + "ms");
        }
    }
}
