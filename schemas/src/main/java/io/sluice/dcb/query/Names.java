package io.sluice.dcb.query;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;

/** Validation shared by the model records: types and tags are non-blank strings. */
final class Names {

    private Names() {
    }

    static Set<String> copyOf(Collection<String> values, String what) {
        Objects.requireNonNull(values, what + "s");
        for (String value : values) requireNonBlank(value, what);
        return Set.copyOf(values);
    }

    static String requireNonBlank(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must be a non-blank string, got " + (value == null ? "null" : "'" + value + "'"));
        }
        return value;
    }
}
