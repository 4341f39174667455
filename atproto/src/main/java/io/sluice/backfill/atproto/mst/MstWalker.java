package io.sluice.backfill.atproto.mst;

import io.sluice.backfill.atproto.cid.Cid;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Walks an atproto Merkle Search Tree in key order.
 *
 * <p>Consumes the root node's CID and a block lookup; produces every {@code (key, value CID)}
 * entry to a {@link Visitor}, in strictly ascending key order. Guarantees, checked as it goes
 * (an {@link MstFormatException} otherwise): keys are valid MST keys and strictly ascending
 * across the whole tree; every key in a node has the node's height (so the tree is the one any
 * correct implementation would build from those keys, and its root CID commits to exactly them);
 * subtrees sit exactly one layer below their parent. A node missing from the lookup is not fatal:
 * it is counted ({@link Result#missingNodes()}) and its part of the key space is skipped, which is
 * how partial CARs behave. Recursion depth is bounded by the tree height (at most 128 layers).
 */
public final class MstWalker {

    /** Looks up a block's bytes by CID; {@code null} when absent. */
    @FunctionalInterface
    public interface BlockSource {
        byte[] get(Cid cid);
    }

    @FunctionalInterface
    public interface Visitor {
        void entry(String key, Cid value);
    }

    /** What a walk saw: entries visited, nodes decoded and nodes absent from the block source. */
    public record Result(long entries, long nodes, long missingNodes) {
    }

    private static final int UNKNOWN_LAYER = -1;
    /** 256 hash bits in pairs, plus room for empty intermediate nodes above a tree of unknown height. */
    private static final int MAX_DEPTH = 160;

    private final BlockSource blocks;
    private final Visitor visitor;
    private byte[] lastKey;
    private long entries;
    private long nodes;
    private long missingNodes;

    private MstWalker(BlockSource blocks, Visitor visitor) {
        this.blocks = blocks;
        this.visitor = visitor;
    }

    public static Result walk(Cid root, BlockSource blocks, Visitor visitor) {
        MstWalker walker = new MstWalker(blocks, visitor);
        walker.node(root, UNKNOWN_LAYER, 0);
        return new Result(walker.entries, walker.nodes, walker.missingNodes);
    }

    private void node(Cid cid, int expectedLayer, int depth) {
        if (depth > MAX_DEPTH) {
            throw new MstFormatException("MST deeper than " + MAX_DEPTH + " nodes at " + cid);
        }
        byte[] data = blocks.get(cid);
        if (data == null) {
            missingNodes++;
            return;
        }
        nodes++;
        MstNode node = MstNode.decode(cid, data);
        byte[][] keys = node.keys(cid);
        int layer = layerOf(cid, keys, expectedLayer);
        if (keys.length == 0 && node.left() == null && depth > 0) {
            throw new MstFormatException("MST node " + cid + " below the root is empty");
        }
        if (layer == 0 && hasSubtree(node)) {
            throw new MstFormatException("MST node " + cid + " is on layer 0 but points to a subtree");
        }
        int childLayer = layer == UNKNOWN_LAYER ? UNKNOWN_LAYER : layer - 1;
        if (node.left() != null) {
            node(node.left(), childLayer, depth + 1);
        }
        for (int i = 0; i < keys.length; i++) {
            MstNode.Entry e = node.entries().get(i);
            emit(cid, keys[i], e.value());
            if (e.right() != null) {
                node(e.right(), childLayer, depth + 1);
            }
        }
    }

    private static int layerOf(Cid cid, byte[][] keys, int expectedLayer) {
        if (keys.length == 0) {
            return expectedLayer; // an empty intermediate node: its layer is implied by its parent
        }
        int layer = MstKeys.height(keys[0]);
        if (expectedLayer != UNKNOWN_LAYER && layer != expectedLayer) {
            throw new MstFormatException("MST node " + cid + " holds keys of height " + layer
                    + " where its parent expects layer " + expectedLayer);
        }
        for (int i = 1; i < keys.length; i++) {
            int height = MstKeys.height(keys[i]);
            if (height != layer) {
                throw new MstFormatException("MST node " + cid + " mixes key heights " + layer + " and " + height
                        + " (key '" + new String(keys[i], StandardCharsets.UTF_8) + "')");
            }
        }
        return layer;
    }

    private static boolean hasSubtree(MstNode node) {
        if (node.left() != null) {
            return true;
        }
        for (MstNode.Entry e : node.entries()) {
            if (e.right() != null) {
                return true;
            }
        }
        return false;
    }

    private void emit(Cid node, byte[] key, Cid value) {
        // Valid keys are ASCII, so the Latin-1 decoding below is exact.
        String text = new String(key, StandardCharsets.ISO_8859_1);
        if (!MstKeys.isValidKey(text)) {
            throw new MstFormatException("MST node " + node + " has an invalid key '"
                    + new String(key, StandardCharsets.UTF_8) + "'");
        }
        if (lastKey != null && Arrays.compareUnsigned(lastKey, key) >= 0) {
            throw new MstFormatException("MST keys out of order in node " + node + ": '" + text + "' after '"
                    + new String(lastKey, StandardCharsets.ISO_8859_1) + "'");
        }
        lastKey = key;
        entries++;
        visitor.entry(text, value);
    }
}
