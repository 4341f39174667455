package io.sluice.backfill.atproto.mst;

import io.sluice.backfill.atproto.car.BlockSink;
import io.sluice.backfill.atproto.cbor.CborWriter;
import io.sluice.backfill.atproto.cid.Cid;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds an atproto Merkle Search Tree from keys given in ascending order, in one pass.
 *
 * <p>Consumes {@code (key, value CID)} pairs in strictly ascending key order; produces every node
 * block to a {@link BlockSink} (children before parents) and returns the root CID from
 * {@link #finish}. Guarantees the tree the repository spec defines for that key set, the one
 * {@link MstWalker} checks: a node on layer L holds the keys of height L, the runs of lower keys
 * between them become subtrees on layer L-1, with empty intermediate nodes where a run has no key
 * of height L-1; an empty tree is one empty node. Keys within a node are prefix-compressed
 * against their predecessor in that node.
 *
 * <p>Why one pass: a subtree is complete as soon as a key of a greater height (or the end)
 * arrives, so the builder keeps only one open node per layer. Memory is bounded by the tree's
 * height and node width, not by the number of keys, which is what lets a repository of any size
 * be generated as a stream.
 */
public final class MstBuilder {

    private final BlockSink sink;
    private final CborWriter out = new CborWriter(2048);
    private final List<Layer> layers = new ArrayList<>();
    private byte[] lastKey;
    private long nodes;

    public MstBuilder(BlockSink sink) {
        this.sink = sink;
    }

    /** Adds {@code key}, which must be a valid MST key greater than every key added before. */
    public void add(String key, Cid value) throws IOException {
        if (!MstKeys.isValidKey(key)) {
            throw new IllegalArgumentException("invalid MST key '" + key + "'");
        }
        byte[] k = key.getBytes(StandardCharsets.US_ASCII); // valid keys are ASCII
        if (lastKey != null && Arrays.compareUnsigned(lastKey, k) >= 0) {
            throw new IllegalArgumentException("MST keys must be added in strictly ascending order: '" + key
                    + "' after '" + new String(lastKey, StandardCharsets.US_ASCII) + "'");
        }
        int height = MstKeys.height(k);
        while (layers.size() <= height) {
            layers.add(new Layer());
        }
        Layer layer = layers.get(height);
        layer.attach(closeBelow(height));
        layer.entries.add(new Entry(k, value));
        lastKey = k;
    }

    /** Closes every open node and returns the root's CID. The builder is spent afterwards. */
    public Cid finish() throws IOException {
        if (layers.isEmpty()) {
            return emit(List.of(), null);
        }
        int top = layers.size() - 1; // the highest key's layer: it has at least one entry
        Layer root = layers.get(top);
        root.attach(closeBelow(top));
        return root.close();
    }

    /** Node blocks emitted so far. */
    public long nodes() {
        return nodes;
    }

    /**
     * Closes the open nodes below {@code layer}, bottom up, each becoming the subtree after the
     * last entry of the one above; returns what hangs under {@code layer}'s newest gap, or null.
     */
    private Cid closeBelow(int layer) throws IOException {
        Cid child = null;
        for (int l = 0; l < layer; l++) {
            Layer open = layers.get(l);
            open.attach(child);
            child = open.close();
        }
        return child;
    }

    private Cid emit(List<Entry> entries, Cid left) throws IOException {
        out.reset().mapHeader(2).text("e").arrayHeader(entries.size()); // "e" < "l"
        byte[] previous = null;
        for (Entry e : entries) {
            int prefix = 0;
            if (previous != null) {
                int mismatch = Arrays.mismatch(previous, e.key);
                prefix = mismatch < 0 ? Math.min(previous.length, e.key.length) : mismatch;
            }
            out.mapHeader(4); // k, p, t, v: equal lengths, so bytewise order
            out.text("k").bytes(e.key, prefix, e.key.length - prefix);
            out.text("p").integer(prefix);
            out.text("t").link(e.right);
            out.text("v").link(e.value);
            previous = e.key;
        }
        out.text("l").link(left);
        Cid cid = Cid.of(Cid.DAG_CBOR, out.array(), 0, out.size());
        sink.block(cid, out.array(), 0, out.size());
        nodes++;
        return cid;
    }

    private static final class Entry {
        final byte[] key;
        final Cid value;
        Cid right;

        Entry(byte[] key, Cid value) {
            this.key = key;
            this.value = value;
        }
    }

    /** The open node of one layer: the entries since the last key of a greater height. */
    private final class Layer {
        final List<Entry> entries = new ArrayList<>();
        Cid left;

        /** Hangs {@code subtree} in the current gap: after the last entry, or as the left link. */
        void attach(Cid subtree) {
            if (subtree == null) {
                return;
            }
            if (entries.isEmpty()) {
                left = subtree;
            } else {
                entries.getLast().right = subtree;
            }
        }

        /** Emits this node if it holds anything, resets it, and returns its CID (null when empty). */
        Cid close() throws IOException {
            if (entries.isEmpty() && left == null) {
                return null;
            }
            Cid cid = emit(entries, left);
            entries.clear();
            left = null;
            return cid;
        }
    }
}
