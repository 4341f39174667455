package io.sluice.backfill.atproto.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.backfill.atproto.cid.Cid;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decoding rules; every rejection is checked on both paths (value decoder and JSON transcoder). */
class DagCborDecoderTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void decodesEveryType() {
        // {"a": 1, "b": [-1, "x", h'0102', true, false, null, 1.5]}
        byte[] cbor = HEX.parseHex("a2616101616287206178420102f5f4f6fb3ff8000000000000");
        Map<String, Object> map = DagCborDecoder.decodeMap(cbor);
        assertThat(map).containsEntry("a", 1L).containsKey("b");
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) map.get("b");
        assertThat(list.get(0)).isEqualTo(-1L);
        assertThat(list.get(1)).isEqualTo("x");
        assertThat((byte[]) list.get(2)).containsExactly(1, 2);
        assertThat(list.subList(3, 7)).containsExactly(true, false, null, 1.5);
        assertThat(DagCborJson.toJson(cbor)).isEqualTo("{\"a\":1,\"b\":[-1,\"x\",{\"$bytes\":\"AQI\"},true,false,null,1.5]}");
    }

    @Test
    void decodesSixtyFourBitIntegers() {
        assertThat(DagCborDecoder.decode(HEX.parseHex("1b7fffffffffffffff"))).isEqualTo(Long.MAX_VALUE);
        assertThat(DagCborDecoder.decode(HEX.parseHex("3b7fffffffffffffff"))).isEqualTo(Long.MIN_VALUE);
        assertThat(DagCborDecoder.decode(HEX.parseHex("1a00010000"))).isEqualTo(65536L);
        assertThat(DagCborJson.toJson(HEX.parseHex("3b7fffffffffffffff"))).isEqualTo("-9223372036854775808");
    }

    @Test
    void decodesCidLinks() {
        Cid cid = Cid.of(Cid.DAG_CBOR, new byte[] {1});
        byte[] cbor = DagCborEncoder.encodeValue(Map.of("l", cid));
        assertThat(DagCborDecoder.decodeMap(cbor)).containsEntry("l", cid);
        assertThat(DagCborJson.toJson(cbor)).isEqualTo("{\"l\":{\"$link\":\"" + cid + "\"}}");
    }

    @Test
    void decodesNonAsciiText() {
        byte[] cbor = DagCborEncoder.encodeValue("héllo 🌍");
        assertThat(DagCborDecoder.decode(cbor)).isEqualTo("héllo 🌍");
        assertThat(DagCborJson.toJson(cbor)).isEqualTo("\"héllo 🌍\"");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "indefinite-length map,            bf6161 01ff,            indefinite-length",
        "indefinite-length array,          9f01ff,                 indefinite-length",
        "integer not minimal,              1817,                   not minimally encoded",
        "length not minimal,               7800,                   not minimally encoded",
        "4-byte integer not minimal,       1a0000ffff,             not minimally encoded",
        "16-bit float,                     f93e00,                 16- and 32-bit floats",
        "32-bit float,                     fa3fc00000,             16- and 32-bit floats",
        "NaN,                              fb7ff8000000000000,     NaN",
        "infinity,                         fb7ff0000000000000,     NaN and infinities",
        "undefined,                        f7,                     undefined",
        "simple value,                     f0,                     simple value 16",
        "tag other than 42,                c11a5f5e1000,           tag 1",
        "duplicate keys,                   a2616101616102,         duplicate map key 'a'",
        "unordered duplicate keys,         a3616101616202616103,   duplicate map key 'a'",
        "integer map key,                  a10102,                 keys must be text",
        "trailing bytes,                   0101,                   trailing bytes",
        "invalid UTF-8,                    62c328,                 invalid UTF-8",
        "unsigned above int64,             1bffffffffffffffff,     signed 64-bit",
        "negative below int64,             3b8000000000000000,     signed 64-bit",
        "huge byte length,                 5affffffff,             exceeds",
        "huge array count,                 9affffffff,             exceeds",
        "huge map count,                   bb00000001000000000000, exceeds",
        "map count past the end,           a1,                     exceeds what the remaining 0 bytes",
        "map value missing,                a16161,                 unexpected end of input",
        "truncated argument,               19ff,                   unexpected end",
        "reserved additional info,         1c,                     reserved",
        "link without 0x00 prefix,         d82a4101,               0x00 multibase prefix",
        "link not bytes,                   d82a6161,               must wrap a byte string",
        "link with bad CID,                d82a420002,             invalid CID link",
    })
    void rejects(String name, String hex, String message) {
        byte[] cbor = HEX.parseHex(hex.replace(" ", ""));
        assertThatThrownBy(() -> DagCborDecoder.decode(cbor)).as(name)
                .isInstanceOf(DagCborException.class).hasMessageContaining(message).hasMessageContaining("at byte");
        assertThatThrownBy(() -> DagCborJson.toJson(cbor)).as(name)
                .isInstanceOf(DagCborException.class).hasMessageContaining(message);
    }

    @Test
    void rejectsHostileNesting() {
        byte[] cbor = HEX.parseHex("81".repeat(5000) + "00");
        assertThatThrownBy(() -> DagCborDecoder.decode(cbor)).isInstanceOf(DagCborDepthException.class)
                .hasMessageContaining("nesting deeper than 512");
        assertThatThrownBy(() -> DagCborJson.toJson(cbor)).isInstanceOf(DagCborDepthException.class)
                .hasMessageContaining("nesting deeper than 512");
        assertThat(DagCborDecoder.decode(HEX.parseHex("81".repeat(100) + "00"))).isInstanceOf(List.class);
    }

    @Test
    void acceptsKeysOutOfCanonicalOrder() {
        // Order is not enforced (the block hash pins the bytes), but the output keeps the stored order.
        byte[] cbor = HEX.parseHex("a2616202616101");
        assertThat(DagCborDecoder.decodeMap(cbor).keySet()).containsExactly("b", "a");
        assertThat(DagCborJson.toJson(cbor)).isEqualTo("{\"b\":2,\"a\":1}");
    }

    @Test
    void decodeMapRequiresAMap() {
        assertThatThrownBy(() -> DagCborDecoder.decodeMap(HEX.parseHex("01")))
                .isInstanceOf(DagCborException.class).hasMessageContaining("expected a DAG-CBOR map, found Long");
    }
}
