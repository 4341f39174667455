package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.CarBlock;
import io.sluice.backfill.atproto.car.CarReader;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.DagCborJson;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.mst.MstWalker;
import io.sluice.backfill.atproto.repo.Commit;
import io.sluice.backfill.atproto.repo.RepoFormatException;
import io.sluice.backfill.atproto.store.BlockStore;

import java.io.IOException;
import java.io.InputStream;

/**
 * One repository CAR stream to its records. Consumes the {@code getRepo} body and a
 * {@link BlockStore}; produces each record (collection, rkey, CID, atproto JSON) to an
 * {@link Emitter} in key order, and a {@link Summary}.
 *
 * <p>Two phases: {@link #load} streams the body into the store (every block's bytes hashed and
 * compared with its CID by {@link CarReader}; mismatches dropped and counted), then {@link #walk}
 * reads the commit and walks the MST from its {@code data} root ({@link MstWalker} checks key order
 * and layering). Heap use is bounded by the store, not by the repository. Throws
 * {@link AtprotoFormatException} for bytes that are not the requested repository and
 * {@link IOException} for the stream.
 */
final class RepoExtractor {

    /** Receives records on the extracting thread. */
    @FunctionalInterface
    interface Emitter {
        void record(String rev, String collection, String rkey, Cid cid, String json);
    }

    /** What one download held: {@code missing} counts tree nodes and records the CAR lacked. */
    record Summary(String did, String rev, long bytes, long blocks, long records, long badCids, long missing) {
    }

    /** What {@link #load} read. */
    record Loaded(Cid root, long bytes, long blocks, long badCids) {
    }

    private RepoExtractor() {
    }

    static Loaded load(InputStream in, Limits limits, BlockStore store) throws IOException {
        CarReader reader = new CarReader(in, limits);
        for (CarBlock block = reader.next(); block != null; block = reader.next()) {
            if (block.verified()) store.put(block.cid(), block.data());
        }
        if (reader.roots().isEmpty()) {
            throw new RepoFormatException("CAR has no root; a repository CAR's root is its commit");
        }
        return new Loaded(reader.roots().getFirst(), reader.bytesRead(), reader.blocks(), reader.badCids());
    }

    /** Walks a loaded repository; {@code expectedDid} must be the commit's, or the PDS sent someone else's. */
    static Summary walk(Loaded loaded, BlockStore store, String expectedDid, Emitter emitter) {
        byte[] commitBytes = store.get(loaded.root());
        if (commitBytes == null) {
            throw new RepoFormatException("commit block " + loaded.root() + " (the CAR root) is not in the CAR"
                    + (loaded.badCids() > 0 ? " or is corrupt" : ""));
        }
        Commit commit = Commit.decode(loaded.root(), commitBytes);
        // RepoRecord.rev is required; a version 2 commit has none, so its CID stands in for it.
        String rev = commit.rev() != null ? commit.rev() : commit.cid().toString();
        if (!commit.did().equals(expectedDid)) {
            throw new RepoFormatException("asked for the repository of " + expectedDid + " but the commit is "
                    + commit.did() + "'s");
        }
        long[] counts = new long[2]; // records emitted, records missing
        MstWalker.Result result = MstWalker.walk(commit.data(), store::get, (key, cid) -> {
            byte[] data = store.get(cid);
            if (data == null) {
                counts[1]++;
                return;
            }
            int slash = key.indexOf('/'); // MstWalker guarantees exactly one, not at either end
            String json;
            try {
                json = DagCborJson.toJson(data);
            } catch (AtprotoFormatException e) {
                throw new RepoFormatException("record " + key + " (" + cid + ") is not valid DAG-CBOR: " + e.getMessage(), e);
            }
            emitter.record(rev, key.substring(0, slash), key.substring(slash + 1), cid, json);
            counts[0]++;
        });
        return new Summary(commit.did(), rev, loaded.bytes(), loaded.blocks(), counts[0], loaded.badCids(),
                result.missingNodes() + counts[1]);
    }
}
