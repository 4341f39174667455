package io.sluice.backfill.simulator;

/**
 * Decides, per request, what a virtual host does beyond the rate limit: how long it waits and
 * which fault (if any) it injects. Deterministic: the draw for a host's n-th admitted request is a
 * function of the seed, the host and n only, so a rerun with the same request order sees the same
 * faults. Storm state is the caller's (it depends on time); this class only says when one starts.
 */
final class FaultPlan {

    /** One request's fate. {@code cut} in (0.1, 0.9): where a truncated body stops, as a fraction. */
    record Draw(FaultKind fault, boolean startsStorm, int latencyMillis, int serverErrorStatus, double cut) {
    }

    private static final int[] SERVER_ERRORS = {500, 502, 503};

    private final long seed;
    private final Faults faults;
    private final Latency latency;

    FaultPlan(long seed, Faults faults, Latency latency) {
        this.seed = seed;
        this.faults = faults;
        this.latency = latency;
    }

    Draw draw(int host, long sequence) {
        long bits = Seeds.of(seed ^ 0x5eed_fa17L, host, sequence);
        double u = Seeds.unit(bits);
        long more = Seeds.mix(bits);
        boolean storm = Seeds.unit(more) < faults.stormChance();
        long extra = Seeds.mix(more);
        int jitter = latency.jitterMillis() == 0 ? 0 : (int) Math.floorMod(extra, (long) latency.jitterMillis());
        FaultKind fault = null;
        double edge = faults.p429();
        if (u < edge) {
            fault = FaultKind.RATE_LIMIT;
        } else if (u < (edge += faults.p5xx())) {
            fault = FaultKind.SERVER_ERROR;
        } else if (u < (edge += faults.pTruncated())) {
            fault = FaultKind.TRUNCATED;
        } else if (u < edge + faults.pSlow()) {
            fault = FaultKind.SLOW;
        }
        int status = SERVER_ERRORS[(int) Math.floorMod(extra >>> 20, (long) SERVER_ERRORS.length)];
        double cut = 0.1 + 0.8 * Seeds.unit(Seeds.mix(extra));
        return new Draw(fault, storm, latency.fixedMillis() + jitter, status, cut);
    }
}
