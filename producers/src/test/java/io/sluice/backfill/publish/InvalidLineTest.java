package io.sluice.backfill.publish;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InvalidLineTest {

    @Test
    void controlAndFormatCharactersAreEscaped() {
        assertThat(InvalidLine.printable("a\u001b[31mb\u0007\u009b\u007f\u202e\t")).isEqualTo(
                "a\\u001b[31mb\\u0007\\u009b\\u007f\\u202e\\u0009");
    }

    @Test
    void printableTextIsLeftAloneAndABackslashIsDoubled() {
        assertThat(InvalidLine.printable("did:web:exämple.com 😀")).isEqualTo("did:web:exämple.com 😀");
        assertThat(InvalidLine.printable("a\\u001b")).isEqualTo("a\\\\u001b");
    }

    @Test
    void aLongLineIsCutAndEscapedWithoutSplittingAPair() {
        String text = "x".repeat(InvalidLine.MAX_TEXT - 1) + "😀" + "tail";
        assertThat(new InvalidLine(1, text, "r").text()).isEqualTo("x".repeat(InvalidLine.MAX_TEXT - 1) + "…");
        assertThat(new InvalidLine(1, "\u001b", "bad \u001b").toString()).isEqualTo("line 1: \\u001b (bad \\u001b)");
    }
}
