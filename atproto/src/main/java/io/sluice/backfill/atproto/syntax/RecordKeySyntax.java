package io.sluice.backfill.atproto.syntax;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The atproto record key syntax check (atproto.com/specs/record-key): 1-512 characters of
 * {@code [a-zA-Z0-9._:~-]}, and neither {@code .} nor {@code ..}. Purely syntactic: it does not
 * check a collection's key type (tid, literal:self, any).
 */
public final class RecordKeySyntax {

    public static final int MAX_LENGTH = 512;

    private static final Pattern RECORD_KEY = Pattern.compile("[a-zA-Z0-9._:~-]+");

    private RecordKeySyntax() {
    }

    public static boolean isValid(String rkey) {
        return validate(rkey).isEmpty();
    }

    /** Returns why {@code rkey} is not a valid record key, or empty when it is. */
    public static Optional<String> validate(String rkey) {
        if (rkey == null || rkey.isEmpty()) {
            return Optional.of("record key is empty");
        }
        if (rkey.length() > MAX_LENGTH) {
            return Optional.of("record key is " + rkey.length() + " characters long, over the limit of " + MAX_LENGTH);
        }
        if (rkey.equals(".") || rkey.equals("..")) {
            return Optional.of("record key must not be '.' or '..'");
        }
        if (!RECORD_KEY.matcher(rkey).matches()) {
            return Optional.of("record key may only contain letters, digits and . _ : ~ -");
        }
        return Optional.empty();
    }
}
