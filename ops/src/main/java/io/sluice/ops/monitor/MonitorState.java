package io.sluice.ops.monitor;

import java.util.List;

/**
 * Everything the monitor page shows, as {@code /api/state} serves it (JSON). Numbers the page cannot
 * know are null (no PostgreSQL given, no rate limiter source, an ETA without progress).
 *
 * @param sampledAt epoch millis of the sample
 * @param workloads each workload's stages with their lag
 * @param backfill  backfill progress, null without PostgreSQL
 * @param hosts     per-PDS-host rate-limit state, null without a source for it
 * @param dlq       records in each dead-letter topic
 * @param errors    what could not be read this time (the rest of the state is still current)
 */
public record MonitorState(long sampledAt, List<WorkloadView> workloads, Backfill backfill, List<HostRate> hosts,
                           List<DlqCount> dlq, List<String> errors) {

    public record WorkloadView(String id, String title, List<StageView> stages) {
    }

    /**
     * @param members       active members of the group (0: nobody consumes)
     * @param lag           records behind, over all its partitions
     * @param ratePerSecond offsets committed per second over the last interval
     * @param status        OK, LAGGING, STALLED, ERROR or IDLE (see GroupStatus.Status)
     * @param etaSeconds    time to drain the lag at the current net rate; null when it is not shrinking
     * @param offsetSource  {@code kafka}, or {@code postgres} for sinks that store their offsets with their rows
     * @param history       the last minutes of lag and rate, for the page's charts
     */
    public record StageView(String name, String group, List<String> inputs, List<String> outputs, int members,
                            long lag, double ratePerSecond, String status, Long etaSeconds, String offsetSource,
                            History history) {
    }

    /**
     * A stage's recent samples, oldest first; the three arrays have one entry per sample.
     *
     * @param at   epoch millis of each sample
     * @param lag  records behind
     * @param rate offsets committed per second
     */
    public record History(long[] at, long[] lag, double[] rate) {

        public static final History EMPTY = new History(new long[0], new long[0], new double[0]);

        public History {
            if (lag.length != at.length || rate.length != at.length) {
                throw new IllegalArgumentException("history arrays differ in length: " + at.length + ", " + lag.length + ", " + rate.length);
            }
        }

        public int size() {
            return at.length;
        }
    }

    /**
     * @param done          DIDs finished (DONE or FAILED in {@code backfill_dids})
     * @param failed        of which FAILED
     * @param total         DIDs published: records in the DIDs topic, or the rows of {@code backfill_dids} if more
     * @param ratePerSecond DIDs finished per second over the last ten seconds
     * @param etaSeconds    remaining at that rate; null without progress
     */
    public record Backfill(long done, long failed, long total, double ratePerSecond, Long etaSeconds) {
    }

    /** One PDS host's limiter state; pausedUntil is epoch seconds, 0 when not paused. */
    public record HostRate(String host, long queued, long available, long limit, long pausedUntil) {
    }

    public record DlqCount(String topic, long records) {
    }
}
