package io.sluice.backfill.atproto.cid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.backfill.atproto.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CidTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void computesDagCborAndRawCids() {
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Cid cbor = Cid.of(Cid.DAG_CBOR, data);
        Cid raw = Cid.of(Cid.RAW, data);

        // sha-256("hello") = 2cf24dba...; prefix 01 (v1) 71/55 (codec) 12 (sha2-256) 20 (32 bytes)
        assertThat(HEX.formatHex(cbor.toBytes()))
                .isEqualTo("01711220" + "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(HEX.formatHex(raw.toBytes())).startsWith("01551220");
        assertThat(cbor.toString()).startsWith("bafyrei");
        assertThat(raw.toString()).startsWith("bafkrei");
        assertThat(cbor.version()).isEqualTo(1);
        assertThat(cbor.codec()).isEqualTo(Cid.DAG_CBOR);
        assertThat(cbor.hashType()).isEqualTo(Cid.SHA2_256);
        assertThat(cbor.encodedLength()).isEqualTo(36);
        assertThat(cbor.digest()).hasSize(32);
        assertThat(cbor).isNotEqualTo(raw);
    }

    @Test
    void stringBinaryRoundTripAndEquality() {
        String text = "bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2a";
        Cid cid = Cid.parse(text);
        assertThat(cid.toString()).isEqualTo(text);
        assertThat(Cid.decode(cid.toBytes())).isEqualTo(cid).hasSameHashCodeAs(cid);
        assertThat(Cid.parse(text)).isEqualTo(cid);
        assertThat(cid.codec()).isEqualTo(Cid.DAG_CBOR);
    }

    @Test
    void matchesChecksTheDigest() {
        byte[] data = {1, 2, 3};
        Cid cid = Cid.of(Cid.DAG_CBOR, data);
        assertThat(cid.matches(data, 0, 3)).isTrue();
        assertThat(cid.matches(new byte[] {1, 2, 4}, 0, 3)).isFalse();
        assertThat(cid.matches(new byte[] {9, 1, 2, 3}, 1, 3)).isTrue();
    }

    @Test
    void parsesBase32CidsFromTheValidVectors() {
        // Only the base32 (b...) vectors name a form Cid.parse supports; the others are other multibases.
        for (String v : Fixtures.vectors("cid_syntax_valid.txt")) {
            if (v.startsWith("b")) {
                assertThat(Cid.parse(v).toString()).isEqualTo(v);
                assertThat(Cid.parse(v).codec()).isEqualTo(Cid.DAG_PB);
            }
        }
    }

    @Test
    void rejectsEveryInvalidVector() {
        for (String v : Fixtures.vectors("cid_syntax_invalid.txt")) {
            if (v.startsWith("Qm")) {
                continue; // a CIDv0: invalid in atproto text, but Cid.parse deliberately reads v0 (see below)
            }
            assertThatThrownBy(() -> Cid.parse(v)).as("'%s'", v).isInstanceOf(CidFormatException.class);
        }
    }

    @Test
    void readsLegacyCidV0() {
        String v0 = "QmbWqxBEKC3P8tqsKc98xmWNzrzDtRLMiMPL8wBuTGsMnR";
        Cid cid = Cid.parse(v0);
        assertThat(cid.version()).isZero();
        assertThat(cid.codec()).isEqualTo(Cid.DAG_PB);
        assertThat(cid.encodedLength()).isEqualTo(34);
        assertThat(cid.toString()).isEqualTo(v0);
        assertThat(Cid.decode(cid.toBytes())).isEqualTo(cid);
    }

    @Test
    void rejectsMalformedBinaryAndText() {
        assertThatThrownBy(() -> Cid.decode(HEX.parseHex("0271122000")))
                .isInstanceOf(CidFormatException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> Cid.decode(HEX.parseHex("017112200102")))
                .isInstanceOf(CidFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> Cid.decode(HEX.parseHex("01711210" + "00".repeat(16))))
                .isInstanceOf(CidFormatException.class).hasMessageContaining("digest length 16");
        byte[] valid = Cid.of(Cid.RAW, new byte[0]).toBytes();
        byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
        assertThatThrownBy(() -> Cid.decode(trailing)).hasMessageContaining("trailing");
        assertThatThrownBy(() -> Cid.parse("BAFYREIDFAYVFUWQA7QLNOPDJIQRXZS6BLMOEU4RUJCJTNCI5BELUDIRZ2A"))
                .hasMessageContaining("multibase prefix 'B'");
        assertThatThrownBy(() -> Cid.parse("")).hasMessageContaining("empty");
        // a non-canonical final character (non-zero padding bits) must not alias a valid CID
        assertThatThrownBy(() -> Cid.parse("bafyreidfayvfuwqa7qlnopdjiqrxzs6blmoeu4rujcjtnci5beludirz2b"))
                .hasMessageContaining("trailing bits");
    }

    @Test
    void base32RoundTripsEveryLength() {
        for (int n = 0; n < 40; n++) {
            byte[] data = new byte[n];
            for (int i = 0; i < n; i++) {
                data[i] = (byte) (i * 37 + n);
            }
            assertThat(Base32.decode(Base32.encode(data), 0)).isEqualTo(data);
        }
        assertThat(Base32.encode("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("mzxw6ytboi"); // RFC 4648, lowercased
    }

    @Test
    void varintsAreMinimal() {
        byte[] out = new byte[9];
        assertThat(Varint.write(300, out, 0)).isEqualTo(2);
        assertThat(HEX.formatHex(out, 0, 2)).isEqualTo("ac02");
        assertThat(Varint.read(out, new int[] {0}, 2, "x")).isEqualTo(300);
        assertThatThrownBy(() -> Varint.read(HEX.parseHex("8000"), new int[] {0}, 2, "x"))
                .hasMessageContaining("not minimally encoded");
    }
}
