package io.sluice.backfill.atproto.cbor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.backfill.atproto.cid.Cid;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DagCborEncoderTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void sortsMapKeysByLengthThenBytes() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("bb", 1);
        map.put("a", 2);
        map.put("aa", 3);
        map.put("b", 4);
        assertThat(DagCborDecoder.decodeMap(DagCborEncoder.encodeValue(map)).keySet())
                .containsExactly("a", "b", "aa", "bb");
    }

    @Test
    void usesTheShortestIntegerEncodings() {
        assertThat(hex(23)).isEqualTo("17");
        assertThat(hex(24)).isEqualTo("1818");
        assertThat(hex(255)).isEqualTo("18ff");
        assertThat(hex(256)).isEqualTo("190100");
        assertThat(hex(65535)).isEqualTo("19ffff");
        assertThat(hex(65536)).isEqualTo("1a00010000");
        assertThat(hex(4294967296L)).isEqualTo("1b0000000100000000");
        assertThat(hex(-1)).isEqualTo("20");
        assertThat(hex(-25)).isEqualTo("3818");
        assertThat(hex(Long.MIN_VALUE)).isEqualTo("3b7fffffffffffffff");
        assertThat(hex(1.5)).isEqualTo("fb3ff8000000000000");
    }

    @Test
    void rejectsWhatDagCborCannotHold() {
        assertThatThrownBy(() -> DagCborEncoder.encodeValue(Double.NaN)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> DagCborEncoder.encodeValue(Map.of(1, 2))).hasMessageContaining("keys must be strings");
        assertThatThrownBy(() -> DagCborEncoder.encodeValue(new Object())).hasMessageContaining("cannot encode");
    }

    @Test
    void randomValuesRoundTrip() {
        Random random = new Random(42);
        DagCborEncoder encoder = new DagCborEncoder(); // reused, as the PDS simulator will
        for (int i = 0; i < 2000; i++) {
            Object value = randomValue(random, 0);
            byte[] cbor = encoder.encode(value);
            Object decoded = DagCborDecoder.decode(cbor);
            // byte[] has identity equality, so compare through the canonical encoding and the JSON form
            assertThat(encoder.encode(decoded)).isEqualTo(cbor);
            assertThat(AtprotoJson.toJsonNode(decoded)).isEqualTo(AtprotoJson.toJsonNode(normalise(value)));
            assertThat(DagCborJson.toJson(cbor)).isEqualTo(AtprotoJson.toJsonString(decoded));
        }
    }

    private static String hex(Object value) {
        return HEX.formatHex(DagCborEncoder.encodeValue(value));
    }

    private static Object randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 3 ? 7 : 9);
        return switch (kind) {
            case 0 -> random.nextLong() >> random.nextInt(64);
            case 1 -> randomText(random);
            case 2 -> {
                byte[] bytes = new byte[random.nextInt(40)];
                random.nextBytes(bytes);
                yield bytes;
            }
            case 3 -> random.nextBoolean();
            case 4 -> null;
            case 5 -> Cid.of(random.nextBoolean() ? Cid.DAG_CBOR : Cid.RAW, new byte[] {(byte) random.nextInt()});
            case 6 -> random.nextInt(); // Integer, encoded like a Long
            case 7 -> {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            default -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(6); i > 0; i--) {
                    map.put(randomText(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private static String randomText(Random random) {
        String[] pieces = {"a", "b", "$type", "text", "é", "🌍", "createdAt", "", "z"};
        StringBuilder sb = new StringBuilder();
        for (int i = random.nextInt(4); i > 0; i--) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        return sb.toString();
    }

    /** Integers become Longs when decoded. */
    private static Object normalise(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        } else if (value instanceof List<?> list) {
            return list.stream().map(DagCborEncoderTest::normalise).toList();
        } else if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, normalise(v)));
            return out;
        }
        return value;
    }
}
