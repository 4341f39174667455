package io.sluice.backfill.publish;

import io.sluice.backfill.atproto.syntax.DidSyntax;

import java.util.Optional;

/**
 * What one line of a DID list is. The rules, in order: the line is trimmed (leading and trailing
 * whitespace, a byte-order mark); an empty line or one starting with {@code #} is skipped; anything
 * else must be one DID by the atproto DID syntax ({@link DidSyntax}), which is purely syntactic: a
 * DID of a method atproto does not resolve ({@code did:key:...}) passes here and fails in the resolver.
 */
sealed interface DidLine {

    /** A blank or comment line. */
    record Skip() implements DidLine {
    }

    record Valid(String did) implements DidLine {
    }

    /** @param text the trimmed line */
    record Invalid(String text, String reason) implements DidLine {
    }

    Skip SKIP = new Skip();

    /** A line longer than {@code maxBytes}: invalid whatever it holds; {@code start} is its first bytes, for the echo. */
    static DidLine tooLong(String start, int maxBytes) {
        return new Invalid(start.strip(), "line too long: over " + maxBytes + " bytes");
    }

    static DidLine classify(String raw) {
        String stripped = raw.strip();
        String line = !stripped.isEmpty() && stripped.charAt(0) == '\uFEFF' ? stripped.substring(1).strip() : stripped;
        if (line.isEmpty() || line.charAt(0) == '#') return SKIP;
        Optional<String> reason = DidSyntax.validate(line);
        return reason.isPresent() ? new Invalid(line, reason.get()) : new Valid(line);
    }
}
