/**
 * Replays for reruns: {@link io.sluice.ops.replay.Replayer} moves an idle group's offsets (plain
 * consumer groups in Kafka; sinks in PostgreSQL's {@code sluice_offsets} too; Streams applications by a
 * full {@code StreamsResetter} reset), after showing what it will do as a
 * {@link io.sluice.ops.replay.ReplayPlan} (which is all {@code sluice replay} does without {@code --execute},
 * as Kafka's {@code --reset-offsets}). Targets are Kafka's ({@link io.sluice.ops.replay.ReplayTarget}).
 */
package io.sluice.ops.replay;
