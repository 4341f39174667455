package io.sluice.backfill.atproto.syntax;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The atproto NSID syntax check (atproto.com/specs/nsid), used for record collections: a reversed
 * domain authority of at least two segments followed by a name segment, e.g.
 * {@code app.bsky.feed.post}. Domain segments are 1-63 characters of letters, digits and hyphens
 * (first segment starting with a letter); the name is 1-63 letters and digits starting with a
 * letter; at most 317 characters overall.
 */
public final class NsidSyntax {

    public static final int MAX_LENGTH = 317;

    private static final Pattern NSID = Pattern.compile(
            "[a-zA-Z]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+"
                    + "\\.[a-zA-Z][a-zA-Z0-9]{0,62}");

    private NsidSyntax() {
    }

    public static boolean isValid(String nsid) {
        return validate(nsid).isEmpty();
    }

    /** Returns why {@code nsid} is not a valid NSID, or empty when it is. */
    public static Optional<String> validate(String nsid) {
        if (nsid == null) {
            return Optional.of("NSID is null");
        }
        if (nsid.length() > MAX_LENGTH) {
            return Optional.of("NSID is " + nsid.length() + " characters long, over the limit of " + MAX_LENGTH);
        }
        if (!NSID.matcher(nsid).matches()) {
            return Optional.of("NSID must be a reversed domain of at least two segments and a name"
                    + " (letters and digits, starting with a letter), each segment 1-63 characters");
        }
        return Optional.empty();
    }
}
