package io.sluice.etl.flatten;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.common.dlq.DeadLetterReason;

/** Why the flattener dead-letters a change event: the {@code sluice.dlq.reason} header's value ({@link #code()}). */
enum FlattenReason implements DeadLetterReason {
    /**
     * The key or value is not Avro in the Confluent wire format, its schema is unknown, or it decodes to
     * something other than a record: {@value DeadLetter#DESERIALIZATION}, as in every stage.
     */
    DESERIALIZATION,
    /**
     * A Debezium change event whose document cannot be mapped to the tables (a wrong type, a bad id, a value no
     * column holds such as a NaN decimal), or anything else mapping it throws: mapping is a pure function of
     * the record, so it would fail the same way on every retry.
     */
    INVALID_DOCUMENT,
    /** Under {@code --unknown-fields dlq}: the document has a field the mapping does not know (the message names its path). */
    UNKNOWN_FIELD
}
