package io.sluice.dcb.decider;

import io.sluice.common.dlq.DeadLetterReason;

/**
 * Why the decider dead-letters a command: the {@code sluice.dlq.reason} header's value ({@link #code()}).
 * Commands it can read but must refuse (a failed condition, a bad event) are answered in dcb.results instead.
 * Undeserializable commands get the contract's common {@code deserialization}.
 */
public enum DeciderReason implements DeadLetterReason {
    /** A command without a value (a tombstone): there is no request id to answer. */
    NO_VALUE
}
