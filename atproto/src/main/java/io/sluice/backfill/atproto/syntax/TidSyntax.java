package io.sluice.backfill.atproto.syntax;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The atproto TID syntax check (atproto.com/specs/tid): 13 characters of sortable base32
 * ({@code 234567a-z}, lowercase), the first one below {@code k} because the top bit is zero.
 */
public final class TidSyntax {

    public static final int LENGTH = 13;

    private static final Pattern TID = Pattern.compile("[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}");

    private TidSyntax() {
    }

    public static boolean isValid(String tid) {
        return validate(tid).isEmpty();
    }

    /** Returns why {@code tid} is not a valid TID, or empty when it is. */
    public static Optional<String> validate(String tid) {
        if (tid == null || tid.length() != LENGTH) {
            return Optional.of("TID must be exactly " + LENGTH + " characters");
        }
        if (!TID.matcher(tid).matches()) {
            return Optional.of("TID must be lowercase base32-sortable (234567a-z) with a first character in 2-7 or a-j");
        }
        return Optional.empty();
    }
}
