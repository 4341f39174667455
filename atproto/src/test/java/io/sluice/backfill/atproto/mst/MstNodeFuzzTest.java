package io.sluice.backfill.atproto.mst;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cid.Cid;

/**
 * One MST node decoded on its own and its prefix-compressed keys rebuilt, seeded with nodes of real
 * repositories. Invariant: a node decodes or throws an {@link AtprotoFormatException}; a prefix
 * longer than the previous key, or keys that do not fit, are refusals, never index errors.
 */
class MstNodeFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void decode(byte[] block) {
        Cid cid = Cid.of(Cid.DAG_CBOR, block);
        try {
            MstNode.decode(cid, block).keys(cid);
        } catch (AtprotoFormatException expected) {
            // the documented refusal
        }
    }
}
