package io.sluice.backfill.atproto.syntax;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DIDs, handles, NSIDs, record keys, TIDs and CID strings come from DID lists, DID documents and
 * MST keys. The first byte picks the validator ({@code d h n r t c}), the rest is the text.
 * Invariants: a validator never throws, whatever the text; {@code isValid} agrees with
 * {@code validate}; nothing longer than the syntax's maximum is valid.
 */
class SyntaxFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void validate(byte[] input) {
        if (input.length == 0) return;
        String text = new String(Arrays.copyOfRange(input, 1, input.length), StandardCharsets.UTF_8);
        switch (input[0]) {
            case 'd' -> check(text, DidSyntax::isValid, DidSyntax::validate, DidSyntax.MAX_LENGTH);
            case 'h' -> check(text, HandleSyntax::isValid, HandleSyntax::validate, HandleSyntax.MAX_LENGTH);
            case 'n' -> check(text, NsidSyntax::isValid, NsidSyntax::validate, NsidSyntax.MAX_LENGTH);
            case 'r' -> check(text, RecordKeySyntax::isValid, RecordKeySyntax::validate, RecordKeySyntax.MAX_LENGTH);
            case 't' -> check(text, TidSyntax::isValid, TidSyntax::validate, TidSyntax.LENGTH);
            default -> check(text, CidSyntax::isValid, CidSyntax::validate, Integer.MAX_VALUE);
        }
    }

    private static void check(String text, Predicate<String> isValid, Function<String, Optional<String>> validate,
                              int maxLength) {
        boolean valid = isValid.test(text);
        assertEquals(valid, validate.apply(text).isEmpty(), "isValid and validate disagree on '" + text + "'");
        if (valid) assertTrue(text.length() <= maxLength, "valid but longer than " + maxLength + ": " + text.length());
    }
}
