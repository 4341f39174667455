package io.sluice.etl.flatten;

import io.sluice.schemas.etl.UserRows;

/** What the flatten step gives for one change event: the user's rows, or the event for the dead-letter topic. */
sealed interface FlattenOutcome {

    /** The rows of user {@code rows.user_id}, to {@code etl.user-rows}. */
    record Rows(UserRows rows) implements FlattenOutcome {
    }

    /** The original value bytes, to {@code etl.dlq}; the reason travels in the record's headers. */
    record DeadLetter(byte[] value) implements FlattenOutcome {
    }
}
