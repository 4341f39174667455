package io.sluice.common.dlq;

import java.util.Locale;

/**
 * A machine-readable reason a stage dead-letters a record: the {@value DeadLetter#REASON} header's value.
 * Each stage keeps its reasons in an enum implementing this; the code is the constant's name in lower case
 * with dashes ({@code INVALID_DID} → {@code invalid-did}), so an operator can filter on it and a stage
 * cannot invent a spelling.
 */
public interface DeadLetterReason {

    /** Implemented by every enum. */
    String name();

    /** The header form: lower case, dashes. */
    default String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
