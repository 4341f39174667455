package io.sluice.backfill.atproto.mst;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cid.Cid;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One MST node decoded on its own and its prefix-compressed keys rebuilt, seeded with nodes of real
 * repositories. Invariant: a node decodes or throws an {@link AtprotoFormatException}; a prefix
 * longer than the previous key, or keys that do not fit, are refusals, never index errors.
 */
class MstNodeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] block) {
        Cid cid = Cid.of(Cid.DAG_CBOR, block);
        MstNode node;
        byte[][] keys;
        try {
            node = MstNode.decode(cid, block);
            keys = node.keys(cid);
        } catch (AtprotoFormatException expected) {
            return; // the documented refusal
        }
        assertEquals(node.entries().size(), keys.length, "one key per entry");
        for (int i = 0; i < keys.length; i++) {
            MstNode.Entry e = node.entries().get(i);
            assertEquals(e.prefixLength() + e.suffix().length, keys[i].length, "key " + i + " is its prefix and suffix");
        }
    }
}
