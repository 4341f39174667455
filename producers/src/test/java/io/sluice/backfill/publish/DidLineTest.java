package io.sluice.backfill.publish;

import io.sluice.backfill.atproto.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DidLineTest {

    static List<String> validVectors() {
        return Fixtures.vectors("did_syntax_valid.txt");
    }

    static List<String> invalidVectors() {
        return Fixtures.vectors("did_syntax_invalid.txt");
    }

    @ParameterizedTest
    @MethodSource("validVectors")
    void everyValidVectorIsADid(String vector) {
        assertThat(DidLine.classify(vector)).isEqualTo(new DidLine.Valid(vector));
    }

    @ParameterizedTest
    @MethodSource("invalidVectors")
    void everyInvalidVectorIsInvalidWithAReason(String vector) {
        assertThat(DidLine.classify(vector)).isInstanceOfSatisfying(DidLine.Invalid.class,
                bad -> assertThat(bad.reason()).isNotBlank());
    }

    @Test
    void blankAndCommentLinesAreSkipped() {
        assertThat(List.of("", "   ", "\t", "# a comment", "   # indented comment", "\uFEFF"))
                .allSatisfy(line -> assertThat(DidLine.classify(line)).isEqualTo(DidLine.SKIP));
    }

    @Test
    void whitespaceAndAByteOrderMarkAreTrimmed() {
        assertThat(DidLine.classify("  did:plc:abc234\t")).isEqualTo(new DidLine.Valid("did:plc:abc234"));
        assertThat(DidLine.classify("\uFEFFdid:plc:abc234")).isEqualTo(new DidLine.Valid("did:plc:abc234"));
    }

    @Test
    void aTrailingCommentIsNotAllowed() {
        // '#' cannot be part of a DID; silently cutting it would hide a typo such as a pasted fragment.
        assertThat(DidLine.classify("did:plc:abc234 # me")).isInstanceOf(DidLine.Invalid.class);
    }
}
