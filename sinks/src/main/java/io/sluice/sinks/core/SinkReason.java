package io.sluice.sinks.core;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.common.dlq.DeadLetterReason;

import java.sql.SQLException;

/**
 * Why a sink dead-letters a record: the {@value DeadLetter#REASON} header's value ({@link #code()}).
 * The SQLState classes are PostgreSQL's (Appendix A of its manual).
 */
public enum SinkReason implements DeadLetterReason {
    /** The key or value is not the topic's Avro in the Confluent wire format (or its schema is unknown). */
    DESERIALIZATION,
    /** PostgreSQL refused the row for a constraint (SQLState class 23, or 40002 at commit): a duplicate, a check. */
    CONSTRAINT_VIOLATION,
    /** PostgreSQL cannot hold a value (SQLState class 22): out of range, bad encoding, too long. */
    INVALID_VALUE,
    /** PostgreSQL refused the row for another reason of the data's (a trigger, a PL/pgSQL exception). */
    REJECTED_BY_DATABASE,
    /** The writer refused the record before PostgreSQL saw it (a key that does not match its value, no value). */
    INVALID_RECORD;

    /** The reason for a record the writer refused with {@code error} (deserialization is decided before). */
    public static SinkReason of(Exception error) {
        if (!(error instanceof SQLException sql)) return INVALID_RECORD;
        String state = sql.getSQLState();
        if (state == null || state.length() != 5) return REJECTED_BY_DATABASE;
        if (state.startsWith("23") || state.equals("40002")) return CONSTRAINT_VIOLATION;
        if (state.startsWith("22")) return INVALID_VALUE;
        return REJECTED_BY_DATABASE;
    }
}
