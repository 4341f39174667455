package io.sluice.backfill.atproto.syntax;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The loose atproto CID string check used where a lexicon field has {@code format: cid}: 8-256
 * characters of {@code [a-zA-Z0-9+=]}, and not a legacy CIDv0 ({@code Qm...}, 46 characters).
 * It accepts any multibase; to get the CID itself, use {@link io.sluice.backfill.atproto.cid.Cid#parse}.
 */
public final class CidSyntax {

    private static final Pattern CID = Pattern.compile("[a-zA-Z0-9+=]{8,256}");

    private CidSyntax() {
    }

    public static boolean isValid(String cid) {
        return validate(cid).isEmpty();
    }

    /** Returns why {@code cid} is not a syntactically valid CID string, or empty when it is. */
    public static Optional<String> validate(String cid) {
        if (cid == null || !CID.matcher(cid).matches()) {
            return Optional.of("CID string must be 8-256 characters of letters, digits, '+' and '='");
        }
        if (cid.length() == 46 && cid.startsWith("Qm")) {
            return Optional.of("CIDv0 strings (Qm...) are not allowed in atproto");
        }
        return Optional.empty();
    }
}
