package io.sluice.backfill.atproto.repo;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.CarBlock;
import io.sluice.backfill.atproto.car.CarReader;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.DagCborJson;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.mst.MstWalker;
import io.sluice.backfill.atproto.store.BlockStore;
import io.sluice.backfill.atproto.store.MemoryBudget;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a repository CAR ({@code com.atproto.sync.getRepo}) into its records.
 *
 * <p>Consumes a CAR stream and {@link Limits}; produces every record to a {@link RecordSink} in
 * key order ({@code collection/rkey}), as atproto JSON, and returns a {@link RepoSummary}.
 * Guarantees: only hash-verified blocks are used; records are exactly the entries of the MST under
 * the commit's {@code data} link, checked for order and layering by {@link MstWalker}; blocks the
 * tree references but the CAR lacks (a partial CAR, or a block dropped for a bad CID) are counted
 * in {@code missing_blocks}, not fatal. Heap use is bounded by the {@link BlockStore}'s budget plus
 * one record at a time, whatever the CAR's block count or the size of its output: records go to
 * the sink as they are walked, and consecutive keys that name one record block share one JSON
 * rendering (a CAR whose keys all name one large block costs one rendering, not one per key). Throws
 * {@link AtprotoFormatException} subclasses for input that is not a repository (retrying will not
 * help) and {@link IOException} for the stream or the spill files.
 */
public final class RepoParser {

    /**
     * Distinct collections counted by name in the summary; the rest are counted under
     * {@link #OTHER_COLLECTIONS}. Real repositories have a few dozen, a hostile one could have one
     * per record, and the summary must not grow with the record count.
     */
    static final int MAX_COLLECTIONS = 1000;
    /** Not an NSID, so it cannot be a real collection's name. */
    static final String OTHER_COLLECTIONS = "(other)";

    private RepoParser() {
    }

    /** Parses with a store of its own: {@link MemoryBudget#defaultCapacity()}, spilling to java.io.tmpdir. */
    public static RepoSummary parse(InputStream in, Limits limits, RecordSink sink) throws IOException {
        try (BlockStore store = new BlockStore(new MemoryBudget(MemoryBudget.defaultCapacity()),
                Path.of(System.getProperty("java.io.tmpdir")))) {
            return parse(in, limits, store, sink);
        }
    }

    /** Parses into {@code store}, which must be empty and which the caller closes. */
    public static RepoSummary parse(InputStream in, Limits limits, BlockStore store, RecordSink sink) throws IOException {
        CarReader reader = new CarReader(in, limits);
        for (CarBlock block = reader.next(); block != null; block = reader.next()) {
            if (block.verified()) store.put(block.cid(), block.data());
        }
        return walk(reader.roots(), store, new Counts(reader.bytesRead(), reader.blocks(), reader.badCids()), sink);
    }

    /** What the CAR reader counted. */
    private record Counts(long bytes, long blocks, long badCids) {
    }

    private static RepoSummary walk(List<Cid> roots, BlockStore blocks, Counts counts, RecordSink sink) {
        if (roots.isEmpty()) {
            throw new RepoFormatException("CAR has no root; a repository CAR's root is its commit");
        }
        Cid root = roots.getFirst();
        byte[] commitBytes = blocks.get(root);
        if (commitBytes == null) {
            throw new RepoFormatException("commit block " + root + " (the CAR root) is not in the CAR"
                    + (counts.badCids() > 0 ? " or is corrupt" : ""));
        }
        Commit commit = Commit.decode(root, commitBytes);
        Records records = new Records(commit.did(), blocks, sink);
        MstWalker.Result walk = MstWalker.walk(commit.data(), blocks::get, records);
        return new RepoSummary(commit.did(), commit.rev(), root.toString(), counts.bytes(), counts.blocks(),
                records.emitted, records.collections, counts.badCids(), walk.missingNodes() + records.missing);
    }

    /** Turns MST entries into records; counts what it emits and what is missing. */
    private static final class Records implements MstWalker.Visitor {

        private final String did;
        private final BlockStore blocks;
        private final RecordSink sink;
        private final Map<String, Long> collections = new HashMap<>();
        private long emitted;
        private long missing;
        /** The last record block rendered: keys naming the same block in a row reuse its JSON. */
        private Cid lastCid;
        private String lastJson;

        Records(String did, BlockStore blocks, RecordSink sink) {
            this.did = did;
            this.blocks = blocks;
            this.sink = sink;
        }

        @Override
        public void entry(String key, Cid value) {
            String json = json(key, value);
            if (json == null) {
                missing++;
                return;
            }
            int slash = key.indexOf('/'); // MstWalker guarantees exactly one, not at either end
            String collection = key.substring(0, slash);
            sink.accept(new RepoRecord(did, collection, key.substring(slash + 1), value, json));
            emitted++;
            if (collections.size() >= MAX_COLLECTIONS && !collections.containsKey(collection)) {
                collection = OTHER_COLLECTIONS;
            }
            collections.merge(collection, 1L, Long::sum);
        }

        /** The record's JSON, or null when its block is missing. */
        private String json(String key, Cid value) {
            if (value.equals(lastCid)) return lastJson;
            byte[] data = blocks.get(value);
            if (data == null) return null;
            try {
                lastJson = DagCborJson.toJson(data);
            } catch (AtprotoFormatException e) {
                throw new RepoFormatException("record " + key + " (" + value + ") is not valid DAG-CBOR: " + e.getMessage(), e);
            }
            lastCid = value;
            return lastJson;
        }
    }
}
