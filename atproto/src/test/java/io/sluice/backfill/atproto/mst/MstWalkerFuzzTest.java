package io.sluice.backfill.atproto.mst;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cid.Cid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MST walker turns a PDS's tree nodes into the list of records. The input is cut into up to
 * eight blocks, each stored under its own CID; the first is the root, so nodes can point at one
 * another. Invariants: the walk ends or throws an {@link AtprotoFormatException}; the keys it
 * yields are strictly ascending and valid; it never visits more entries than the nodes hold.
 */
class MstWalkerFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void walk(FuzzedDataProvider data) {
        Map<Cid, byte[]> blocks = new HashMap<>();
        List<Cid> order = new ArrayList<>();
        int count = data.consumeInt(1, 8);
        for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
            byte[] block = i == count - 1 ? data.consumeRemainingAsBytes() : data.consumeBytes(data.consumeInt(0, 4096));
            Cid cid = Cid.of(Cid.DAG_CBOR, block);
            blocks.put(cid, block);
            order.add(cid);
        }
        if (order.isEmpty()) return;
        List<String> keys = new ArrayList<>();
        try {
            MstWalker.walk(order.getFirst(), blocks::get, (key, value) -> keys.add(key));
        } catch (AtprotoFormatException expected) {
            return;
        }
        for (int i = 0; i < keys.size(); i++) {
            assertTrue(MstKeys.isValidKey(keys.get(i)), "invalid key " + keys.get(i));
            if (i > 0) assertTrue(keys.get(i - 1).compareTo(keys.get(i)) < 0, "keys out of order: " + keys);
        }
    }
}
