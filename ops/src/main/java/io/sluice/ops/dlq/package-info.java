/**
 * Dead-letter topics, read and replayed: {@link io.sluice.ops.dlq.DeadLetters} lists every {@code *.dlq}
 * topic with counts per stage and reason, shows entries (values decoded by {@link io.sluice.ops.dlq.ValueDecoder})
 * and sends chosen entries back to their source topic. Every stage writes the same headers
 * ({@link io.sluice.common.dlq.DeadLetter}). Used by {@code sluice dlq}.
 */
package io.sluice.ops.dlq;
