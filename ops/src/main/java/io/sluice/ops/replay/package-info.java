/**
 * Replays for reruns: {@link io.sluice.ops.replay.Replayer} moves an idle group's offsets (plain
 * consumer groups in Kafka; sinks in PostgreSQL's {@code sluice_offsets} too; Streams applications by a
 * full {@code StreamsResetter} reset), after showing what it will do as a
 * {@link io.sluice.ops.replay.ReplayPlan}. Used by {@code sluice replay}.
 */
package io.sluice.ops.replay;
