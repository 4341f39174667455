/**
 * Consumer lag, as a library: {@link io.sluice.ops.lag.LagReader} samples groups' committed and end
 * offsets from the broker (and the sinks' {@code sluice_offsets}, which win where present) into
 * {@link io.sluice.ops.lag.GroupLag} records; {@link io.sluice.ops.lag.LagTracker} turns successive
 * samples into a {@link io.sluice.ops.lag.GroupStatus} per group (rate, time to drain, OK / LAGGING /
 * STALLED / ERROR / IDLE). Used by {@code sluice lag} and the monitor page.
 */
package io.sluice.ops.lag;
