package io.sluice.backfill.atproto.cid;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CIDs arrive from PDSes inside CARs (binary) and in record JSON and URIs (text). Invariant: any
 * input parses or throws {@link CidFormatException} (nothing else), and a parsed CID survives both
 * of its round trips. The first byte picks the form: {@code t} text, anything else binary.
 */
class CidFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        if (input.length == 0) return;
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        Cid cid;
        try {
            cid = input[0] == 't' ? Cid.parse(new String(rest, StandardCharsets.UTF_8)) : Cid.decode(rest);
        } catch (CidFormatException expected) {
            return;
        }
        assertEquals(cid, Cid.parse(cid.toString()));
        assertEquals(cid, Cid.decode(cid.toBytes()));
    }
}
