package io.sluice.backfill.ratelimit.internals;

import io.sluice.common.dlq.DeadLetterReason;

/** Why the rate limiter dead-letters an input record: the {@code sluice.dlq.reason} header's value ({@link #code()}). */
public enum RejectReason implements DeadLetterReason {
    /** The record has no key; the limiter needs the PDS host as key. */
    MISSING_KEY,
    /** The key is not the value's PDS host, so the record is on the wrong partition for its host. */
    KEY_MISMATCH,
    /** The record has no value (a tombstone). */
    MISSING_VALUE,
    /** The value is of a type the limiter does not take. */
    UNEXPECTED_TYPE,
    /** The host already has {@code maxQueuePerHost} tasks waiting. */
    QUEUE_FULL
}
