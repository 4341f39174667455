package io.sluice.backfill.atproto.cbor;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.backfill.atproto.AtprotoFormatException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Every record of a repository passes through the DAG-CBOR decoder and the JSON writer. Invariants:
 * any input decodes or throws an {@link AtprotoFormatException}; what decodes re-encodes to canonical
 * DAG-CBOR that decodes and re-encodes to itself (the decoder accepts map keys in any order, since
 * the block hash pins the bytes, so the first encoding may differ from the input); and the JSON
 * writer accepts exactly what the decoder accepts (one gate, not two that disagree).
 */
class DagCborFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] cbor) {
        Object value;
        try {
            value = DagCborDecoder.decode(cbor);
        } catch (AtprotoFormatException expected) {
            assertRefusedByJson(cbor);
            return;
        }
        byte[] canonical = DagCborEncoder.encodeValue(value);
        assertArrayEquals(canonical, DagCborEncoder.encodeValue(DagCborDecoder.decode(canonical)),
                "canonical DAG-CBOR must re-encode to itself");
        DagCborJson.toJson(cbor); // must not throw: the decoder accepted these bytes
    }

    private static void assertRefusedByJson(byte[] cbor) {
        try {
            DagCborJson.toJson(cbor);
        } catch (AtprotoFormatException expected) {
            return;
        }
        throw new AssertionError("DagCborJson accepted bytes the decoder refuses");
    }
}
