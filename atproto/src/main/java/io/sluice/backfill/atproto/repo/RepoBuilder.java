package io.sluice.backfill.atproto.repo;

import io.sluice.backfill.atproto.car.BlockSink;
import io.sluice.backfill.atproto.car.CarWriter;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.mst.MstBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a repository the way {@code com.atproto.sync.getRepo} serves one: record blocks, the MST
 * over {@code collection/rkey} keys, and a version-3 commit pointing at the tree.
 *
 * <p>Consumes records in ascending key order (already DAG-CBOR encoded, or as values); produces
 * each record block, then the MST nodes as they complete, to a {@link BlockSink}, and returns the
 * MST root from {@link #finish}. The commit comes last ({@link #commitBytes}) because it needs
 * that root. Guarantees record CIDs are sha2-256 DAG-CBOR CIDv1 of the exact bytes given and the
 * tree is the one {@link MstBuilder} defines. Memory is independent of the number of records, so
 * a repository can be streamed; {@link #car} is the in-memory form for tests and small repos.
 */
public final class RepoBuilder {

    private final BlockSink sink;
    private final MstBuilder mst;
    private long records;

    public RepoBuilder(BlockSink sink) {
        this.sink = sink;
        this.mst = new MstBuilder(sink);
    }

    /** Adds one record whose DAG-CBOR bytes are {@code data[off, off+len)}; returns its CID. */
    public Cid add(String collection, String rkey, byte[] data, int off, int len) throws IOException {
        Cid cid = Cid.of(Cid.DAG_CBOR, data, off, len);
        mst.add(collection + "/" + rkey, cid); // validates order before the block goes out
        sink.block(cid, data, off, len);
        records++;
        return cid;
    }

    /** Adds one record under {@code key} ({@code collection/rkey}), encoding {@code value} canonically. */
    public Cid add(String key, Object value) throws IOException {
        byte[] data = DagCborEncoder.encodeValue(value);
        int slash = key.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("record key '" + key + "' is not collection/rkey");
        }
        return add(key.substring(0, slash), key.substring(slash + 1), data, 0, data.length);
    }

    /** Closes the tree; returns the MST root CID, the commit's {@code data}. */
    public Cid finish() throws IOException {
        return mst.finish();
    }

    public long records() {
        return records;
    }

    public long mstNodes() {
        return mst.nodes();
    }

    /**
     * A commit block {@code {did, version: 3, data, rev, prev: null, sig}}. {@code sig} is carried
     * as given: atproto signs the commit without {@code sig} with the account's key, which callers
     * that need a verifiable signature must do themselves.
     */
    public static byte[] commitBytes(String did, Cid data, String rev, byte[] sig) {
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("did", did);
        commit.put("version", 3L);
        commit.put("data", data);
        commit.put("rev", rev);
        commit.put("prev", null);
        commit.put("sig", sig);
        return DagCborEncoder.encodeValue(commit);
    }

    /**
     * A whole repository CAR in memory for {@code records} (key {@code collection/rkey} to record
     * value), with the commit as root and first block and an all-zero signature.
     */
    public static byte[] car(String did, String rev, Map<String, ?> records) {
        try {
            ByteArrayOutputStream blocks = new ByteArrayOutputStream();
            RepoBuilder builder = new RepoBuilder(new CarWriter(blocks));
            for (Map.Entry<String, ?> e : new TreeMap<>(records).entrySet()) { // ASCII keys: String order is byte order
                builder.add(e.getKey(), e.getValue());
            }
            byte[] commit = commitBytes(did, builder.finish(), rev, new byte[64]);
            Cid commitCid = Cid.of(Cid.DAG_CBOR, commit);
            ByteArrayOutputStream car = new ByteArrayOutputStream(blocks.size() + commit.length + 128);
            new CarWriter(car).header(List.of(commitCid)).block(commitCid, commit);
            blocks.writeTo(car);
            return car.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory streams do not fail", e);
        }
    }
}
