package io.sluice.backfill.atproto.syntax;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The atproto handle syntax check (atproto.com/specs/handle): a DNS name of at least two labels,
 * each label 1-63 characters of ASCII letters, digits and hyphens, not starting or ending with a
 * hyphen, the last label (TLD) starting with a letter, at most 253 characters. Case-insensitive
 * and purely syntactic: reserved TLDs ({@code .local}, {@code .arpa}) are allowed at this level,
 * as the interop vectors require.
 */
public final class HandleSyntax {

    public static final int MAX_LENGTH = 253;

    private static final Pattern HANDLE = Pattern.compile(
            "([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?");

    private HandleSyntax() {
    }

    public static boolean isValid(String handle) {
        return validate(handle).isEmpty();
    }

    /** Returns why {@code handle} is not a valid handle, or empty when it is. */
    public static Optional<String> validate(String handle) {
        if (handle == null) {
            return Optional.of("handle is null");
        }
        if (handle.length() > MAX_LENGTH) {
            return Optional.of("handle is " + handle.length() + " characters long, over the limit of " + MAX_LENGTH);
        }
        if (!HANDLE.matcher(handle).matches()) {
            return Optional.of("handle must be at least two dot-separated labels of letters, digits and hyphens"
                    + " (1-63 characters, no leading or trailing hyphen), the last one starting with a letter");
        }
        return Optional.empty();
    }
}
