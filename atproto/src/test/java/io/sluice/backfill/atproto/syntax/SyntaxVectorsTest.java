package io.sluice.backfill.atproto.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.backfill.atproto.testing.Fixtures;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every line of the atproto-interop-tests syntax vectors, classified by our validators. */
class SyntaxVectorsTest {

    private static final List<Kind> KINDS = List.of(
            new Kind("did", DidSyntax::isValid),
            new Kind("handle", HandleSyntax::isValid),
            new Kind("nsid", NsidSyntax::isValid),
            new Kind("recordkey", RecordKeySyntax::isValid),
            new Kind("tid", TidSyntax::isValid),
            new Kind("cid", CidSyntax::isValid));

    record Kind(String name, Predicate<String> validator) {
    }

    static Stream<Arguments> vectors() {
        return KINDS.stream().flatMap(kind -> Stream.concat(
                Fixtures.vectors(kind.name() + "_syntax_valid.txt").stream()
                        .map(v -> Arguments.of(kind.name(), true, v, kind)),
                Fixtures.vectors(kind.name() + "_syntax_invalid.txt").stream()
                        .map(v -> Arguments.of(kind.name(), false, v, kind))));
    }

    @ParameterizedTest(name = "{0} valid={1}: [{2}]")
    @MethodSource("vectors")
    void classifiesVector(String kind, boolean valid, String value, Kind k) {
        assertThat(k.validator().test(value)).as("%s '%s'", kind, value).isEqualTo(valid);
    }

    @Test
    void vectorReaderKeepsWhitespaceSignificantLines() {
        // These are invalid only because of the space; trimming the lines would make the test pass vacuously.
        assertThat(Fixtures.vectors("cid_syntax_invalid.txt"))
                .contains(" bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
                        "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi ");
        assertThat(Fixtures.vectors("handle_syntax_invalid.txt")).contains(" john.test", "john.test ");
        assertThat(Fixtures.vectors("nsid_syntax_invalid.txt")).contains(" one.two.three", "one.two.three ");
        assertThat(Fixtures.vectors("did_syntax_valid.txt")).hasSize(24).doesNotContain("");
        assertThat(Fixtures.vectors("did_syntax_invalid.txt")).hasSize(18)
                .anySatisfy(v -> assertThat(v).hasSizeGreaterThan(DidSyntax.MAX_LENGTH));
    }

    @Test
    void didValidationExplainsWhy() {
        Function<String, String> reason = did -> DidSyntax.validate(did).orElse("valid");
        assertThat(reason.apply("did:plc:7iza6de2dwap2sbkpav7c6c6")).isEqualTo("valid");
        assertThat(reason.apply("DID:plc:abc")).contains("must start with 'did:'");
        assertThat(reason.apply("did:METHOD:val")).contains("lowercase letters");
        assertThat(reason.apply("did:method:val:")).contains("must not end with ':'");
        assertThat(reason.apply("did:method:val%")).contains("must not end with '%'");
        assertThat(reason.apply("did:method:")).contains("empty");
        assertThat(reason.apply("did:method:val/two")).contains("may only contain");
        assertThat(reason.apply("did:method:" + "v".repeat(3000))).contains("over the limit of 2048");
        assertThat(reason.apply(null)).contains("null");
    }

    @Test
    void otherValidatorsExplainWhy() {
        assertThat(RecordKeySyntax.validate("..")).hasValueSatisfying(r -> assertThat(r).contains("'.' or '..'"));
        assertThat(RecordKeySyntax.validate("o".repeat(513))).hasValueSatisfying(r -> assertThat(r).contains("512"));
        assertThat(TidSyntax.validate("3jzfcijpj2z2")).hasValueSatisfying(r -> assertThat(r).contains("13"));
        assertThat(NsidSyntax.validate("app.bsky.feed.post")).isEmpty();
        assertThat(HandleSyntax.validate("alice.bsky.social")).isEmpty();
        assertThat(CidSyntax.validate("QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR"))
                .hasValueSatisfying(r -> assertThat(r).contains("CIDv0"));
    }
}
