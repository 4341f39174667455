package io.sluice.dcb.rules;

import java.util.Optional;

/**
 * The one storability rule of the DCB store: a type, tag or data string is accepted only if the
 * events sink can store it in PostgreSQL and read it back unchanged. PostgreSQL {@code text} cannot
 * hold U+0000, and an unpaired surrogate has no UTF-8 form (Avro's encoder would silently turn it
 * into '?'). Everything else, non-characters such as U+FFFE and supplementary planes included, is
 * stored as it is. The API applies it before answering, the decider again for commands from other
 * producers, so nothing is acknowledged that the sink would dead-letter.
 */
public final class StorableText {

    private StorableText() {
    }

    /** Why {@code value} cannot be stored, e.g. {@code "contains U+0000, which PostgreSQL text cannot store"}; empty when it can. */
    public static Optional<String> problem(String value) {
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == '\u0000') return Optional.of("contains U+0000, which PostgreSQL text cannot store");
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return Optional.of(String.format("contains an unpaired surrogate U+%04X at index %d, which UTF-8 cannot encode",
                        (int) c, i));
            }
        }
        return Optional.empty();
    }

    /** The bytes of {@code value} in UTF-8 (a surrogate pair 4), counted without encoding it. */
    public static long utf8Length(String value) {
        long bytes = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) bytes += 1;
            else if (c < 0x800) bytes += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else bytes += 3;
        }
        return bytes;
    }
}
