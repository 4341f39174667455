package io.sluice.backfill.atproto.repo;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.CarBlocks;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.DagCborJson;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.mst.MstWalker;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a repository CAR ({@code com.atproto.sync.getRepo}) into its records.
 *
 * <p>Consumes a CAR stream and {@link Limits}; produces every record to a {@link RecordSink} in
 * key order ({@code collection/rkey}), as atproto JSON, and returns a {@link RepoSummary}.
 * Guarantees: only hash-verified blocks are used; records are exactly the entries of the MST under
 * the commit's {@code data} link, checked for order and layering by {@link MstWalker}; blocks the
 * tree references but the CAR lacks (a partial CAR, or a block dropped for a bad CID) are counted
 * in {@code missing_blocks}, not fatal. Throws {@link AtprotoFormatException} subclasses for input
 * that is not a repository (retrying will not help) and {@link IOException} for the stream.
 */
public final class RepoParser {

    private RepoParser() {
    }

    public static RepoSummary parse(InputStream in, Limits limits, RecordSink sink) throws IOException {
        return walk(CarBlocks.read(in, limits), sink);
    }

    /** Walks an already loaded CAR. */
    public static RepoSummary walk(CarBlocks blocks, RecordSink sink) {
        if (blocks.roots().isEmpty()) {
            throw new RepoFormatException("CAR has no root; a repository CAR's root is its commit");
        }
        Cid root = blocks.roots().get(0);
        byte[] commitBytes = blocks.get(root);
        if (commitBytes == null) {
            throw new RepoFormatException("commit block " + root + " (the CAR root) is not in the CAR"
                    + (blocks.badCids() > 0 ? " or is corrupt" : ""));
        }
        Commit commit = Commit.decode(root, commitBytes);
        Records records = new Records(commit.did(), blocks, sink);
        MstWalker.Result walk = MstWalker.walk(commit.data(), blocks::get, records);
        return new RepoSummary(commit.did(), commit.rev(), root.toString(), blocks.bytes(), blocks.blockCount(),
                records.emitted, records.collections, blocks.badCids(), walk.missingNodes() + records.missing);
    }

    /** Turns MST entries into records; counts what it emits and what is missing. */
    private static final class Records implements MstWalker.Visitor {

        private final String did;
        private final CarBlocks blocks;
        private final RecordSink sink;
        private final Map<String, Long> collections = new HashMap<>();
        private long emitted;
        private long missing;

        Records(String did, CarBlocks blocks, RecordSink sink) {
            this.did = did;
            this.blocks = blocks;
            this.sink = sink;
        }

        @Override
        public void entry(String key, Cid value) {
            byte[] data = blocks.get(value);
            if (data == null) {
                missing++;
                return;
            }
            int slash = key.indexOf('/'); // MstWalker guarantees exactly one, not at either end
            String collection = key.substring(0, slash);
            String json;
            try {
                json = DagCborJson.toJson(data);
            } catch (AtprotoFormatException e) {
                throw new RepoFormatException("record " + key + " (" + value + ") is not valid DAG-CBOR: " + e.getMessage(), e);
            }
            sink.accept(new RepoRecord(did, collection, key.substring(slash + 1), value, json));
            emitted++;
            collections.merge(collection, 1L, Long::sum);
        }
    }
}
