package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.CarBlock;
import io.sluice.backfill.atproto.car.CarReader;
import io.sluice.backfill.atproto.car.Limits;
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
 * {@link IOException} for the stream; a record block its {@link RecordDecoder} refuses goes to
 * {@link Emitter#rejected} and the walk goes on.
 */
final class RepoExtractor {

    /** Receives records on the extracting thread. */
    interface Emitter {
        /** A decoded record: {@code json} its atproto JSON, {@code cbor} its block's bytes. */
        void record(String rev, String collection, String rkey, Cid cid, String json, byte[] cbor);

        /** A record the {@link RecordDecoder} refused: it is not produced, and the rest of the repository is. */
        void rejected(String collection, String rkey, Cid cid, RecordDecoder.Rejected why);
    }

    /**
     * What one download held: {@code records} were handed to {@link Emitter#record}, {@code missing} counts
     * tree nodes and records the CAR lacked, {@code skipped} the records not decoded after an extraction limit.
     */
    record Summary(String did, String rev, long bytes, long blocks, long records, long badCids, long missing,
                   long skipped) {
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
    static Summary walk(Loaded loaded, BlockStore store, String expectedDid, RecordDecoder decoder, Emitter emitter) {
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
        long[] counts = new long[3]; // records emitted, records missing, records skipped
        MstWalker.Result result = MstWalker.walk(commit.data(), store::get, (key, cid) -> {
            byte[] data = store.get(cid);
            if (data == null) {
                counts[1]++;
                return;
            }
            int slash = key.indexOf('/'); // MstWalker guarantees exactly one, not at either end
            if (decoder.stopped()) {
                counts[2]++; // its dead letter was the one that stopped extraction
                return;
            }
            String json;
            try {
                json = decoder.toJson(data);
            } catch (RecordDecoder.Rejected e) {
                // One record's fault: the repository is still stored, and the record dead-lettered alone.
                emitter.rejected(key.substring(0, slash), key.substring(slash + 1), cid, e);
                return;
            }
            emitter.record(rev, key.substring(0, slash), key.substring(slash + 1), cid, json, data);
            counts[0]++;
        });
        return new Summary(commit.did(), rev, loaded.bytes(), loaded.blocks(), counts[0], loaded.badCids(),
                result.missingNodes() + counts[1], counts[2]);
    }
}
