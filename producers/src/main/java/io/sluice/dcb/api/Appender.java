package io.sluice.dcb.api;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;

/**
 * Decides one append for {@link AppendHandler}: consumes a checked {@link AppendCommand}, produces
 * the store's {@link AppendResult} once it is final (APPENDED and durable, CONDITION_FAILED, or
 * REJECTED). The store is the decider ({@link KafkaAppender}) or, for the benchmark's baseline,
 * PostgreSQL alone ({@link PostgresAppender}); the HTTP layer is the same.
 */
interface Appender {

    /**
     * @throws JsonHandler.Unavailable no final answer in time, or the store is down; the append may
     *                                 still happen
     */
    AppendResult append(AppendCommand command) throws JsonHandler.Unavailable, InterruptedException;
}
