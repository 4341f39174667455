package io.sluice.schemas.registry;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A subject's compatibility level, as the Confluent registry API names it. */
public enum Compatibility {
    NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE;

    /** Parses a level strictly (case-insensitive); an unknown name is an error listing the allowed ones. */
    public static Compatibility parse(String value) {
        if (value != null) {
            for (Compatibility c : values()) {
                if (c.name().equals(value.trim().toUpperCase(Locale.ROOT))) return c;
            }
        }
        throw new IllegalArgumentException("unknown compatibility level '" + value + "'; allowed: "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
