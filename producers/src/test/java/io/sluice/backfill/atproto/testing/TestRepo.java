package io.sluice.backfill.atproto.testing;

import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.mst.MstKeys;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a repository CAR from records, the way the spec lays it out: the MST is built top-down
 * from the sorted keys and their heights (a node on layer L holds the keys of height L; the runs
 * of lower keys between them become subtrees on layer L-1, with empty intermediate nodes where a
 * run has no key of height L-1), then a version-3 commit points at it. Blocks are written commit
 * first, then MST nodes children before parents, then records. For tests; the PDS simulator will
 * need the same thing.
 */
public final class TestRepo {

    private final DagCborEncoder encoder = new DagCborEncoder();
    private final List<byte[][]> blocks = new ArrayList<>();

    private TestRepo() {
    }

    /** A CAR holding {@code records} (key {@code collection/rkey} to record value) for {@code did}. */
    public static byte[] car(String did, Map<String, Object> records) {
        return new TestRepo().build(did, new TreeMap<>(records));
    }

    private byte[] build(String did, TreeMap<String, Object> records) {
        List<String> keys = new ArrayList<>(records.keySet());
        List<Cid> values = new ArrayList<>();
        int[] heights = new int[keys.size()];
        int top = 0;
        List<byte[][]> recordBlocks = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            byte[] bytes = encoder.encode(records.get(keys.get(i)));
            Cid cid = Cid.of(Cid.DAG_CBOR, bytes);
            values.add(cid);
            recordBlocks.add(new byte[][] {cid.toBytes(), bytes});
            heights[i] = MstKeys.height(keys.get(i));
            top = Math.max(top, heights[i]);
        }
        Cid root = node(keys, values, heights, 0, keys.size(), top);

        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("did", did);
        commit.put("version", 3L);
        commit.put("data", root);
        commit.put("rev", "3kabcdefghij2");
        commit.put("prev", null);
        commit.put("sig", new byte[64]);
        byte[] commitBytes = encoder.encode(commit);
        Cid commitCid = Cid.of(Cid.DAG_CBOR, commitBytes);

        List<byte[][]> sections = new ArrayList<>();
        sections.add(new byte[][] {commitCid.toBytes(), commitBytes});
        sections.addAll(blocks);
        sections.addAll(recordBlocks);
        byte[] header = encoder.encode(Map.of("version", 1L, "roots", List.of(commitCid)));
        return RawCar.write(header, sections);
    }

    /** The node on {@code layer} for keys {@code [from, to)}, all of height at most {@code layer}. */
    private Cid node(List<String> keys, List<Cid> values, int[] heights, int from, int to, int layer) {
        List<Object> entries = new ArrayList<>();
        Cid left = null;
        int runStart = from;
        byte[] previous = new byte[0];
        Map<String, Object> lastEntry = null;
        for (int i = from; i <= to; i++) {
            if (i < to && heights[i] != layer) {
                continue;
            }
            Cid subtree = runStart < i ? node(keys, values, heights, runStart, i, layer - 1) : null;
            if (lastEntry == null) {
                left = subtree;
            } else {
                lastEntry.put("t", subtree);
            }
            if (i < to) {
                byte[] key = keys.get(i).getBytes(StandardCharsets.US_ASCII);
                int prefix = Arrays.mismatch(previous, key);
                prefix = prefix < 0 ? Math.min(previous.length, key.length) : prefix;
                lastEntry = new LinkedHashMap<>();
                lastEntry.put("k", Arrays.copyOfRange(key, prefix, key.length));
                lastEntry.put("p", (long) prefix);
                lastEntry.put("t", null);
                lastEntry.put("v", values.get(i));
                entries.add(lastEntry);
                previous = key;
            }
            runStart = i + 1;
        }
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("e", entries);
        node.put("l", left);
        byte[] bytes = encoder.encode(node);
        Cid cid = Cid.of(Cid.DAG_CBOR, bytes);
        blocks.add(new byte[][] {cid.toBytes(), bytes});
        return cid;
    }
}
