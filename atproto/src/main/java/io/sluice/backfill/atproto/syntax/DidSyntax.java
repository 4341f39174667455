package io.sluice.backfill.atproto.syntax;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The atproto DID syntax check (atproto.com/specs/did): {@code did:<method>:<identifier>}, a method
 * of lowercase letters, an identifier of {@code [a-zA-Z0-9._:%-]} not ending in {@code :} or
 * {@code %}, at most 2048 characters. Purely syntactic: it neither resolves the DID nor checks
 * that the method is one atproto supports ({@code plc}, {@code web}), and it does not validate
 * percent-encoding, exactly as the reference implementations do.
 */
public final class DidSyntax {

    public static final int MAX_LENGTH = 2048;

    private static final Pattern METHOD = Pattern.compile("[a-z]+");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z0-9._:%-]+");

    private DidSyntax() {
    }

    public static boolean isValid(String did) {
        return validate(did).isEmpty();
    }

    /** Returns why {@code did} is not a valid DID, or empty when it is. */
    public static Optional<String> validate(String did) {
        if (did == null) {
            return Optional.of("DID is null");
        }
        if (did.length() > MAX_LENGTH) {
            return Optional.of("DID is " + did.length() + " characters long, over the limit of " + MAX_LENGTH);
        }
        if (!did.startsWith("did:")) {
            return Optional.of("DID must start with 'did:' (lowercase)");
        }
        int colon = did.indexOf(':', 4);
        if (colon < 0) {
            return Optional.of("DID must have the form did:<method>:<identifier>");
        }
        if (!METHOD.matcher(did).region(4, colon).matches()) {
            return Optional.of("DID method '" + did.substring(4, colon) + "' must be one or more lowercase letters a-z");
        }
        if (colon == did.length() - 1) {
            return Optional.of("DID identifier after the method is empty");
        }
        if (!IDENTIFIER.matcher(did).region(colon + 1, did.length()).matches()) {
            return Optional.of("DID identifier may only contain letters, digits and . _ : % -");
        }
        char last = did.charAt(did.length() - 1);
        if (last == ':' || last == '%') {
            return Optional.of("DID must not end with '" + last + "'");
        }
        return Optional.empty();
    }
}
