package io.sluice.etl.flatten;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the flattener does with a document field its mapping does not know (one that no column or jsonb
 * value takes): {@link #IGNORE} drops it, {@link #DLQ} dead-letters the whole change with reason
 * {@code unknown-field} and the field's path, so a schema change in MongoDB is noticed instead of lost.
 */
public enum UnknownFields {
    /** Map the known fields, drop the others (the default: MongoDB documents grow fields freely). */
    IGNORE,
    /** Dead-letter a document that has a field the mapping does not know. */
    DLQ;

    /** The option's spelling: {@code ignore}, {@code dlq}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code ignore} or {@code dlq} (case-insensitive), nothing else.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static UnknownFields parse(String text) {
        for (UnknownFields policy : values()) {
            if (text != null && policy.code().equalsIgnoreCase(text.trim())) return policy;
        }
        throw new IllegalArgumentException("unknown-field policy '" + text + "' is not one of: "
                + Arrays.stream(values()).map(UnknownFields::code).collect(Collectors.joining(", ")));
    }
}
