package io.sluice.backfill.atproto.car;

import io.sluice.backfill.atproto.cid.Cid;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All verified blocks of one CAR, keyed by CID, for random access during the MST walk.
 *
 * <p>Consumes a CAR stream through {@link CarReader}; produces a read-only lookup. Guarantees:
 * only blocks whose bytes hash to their CID are kept, so nothing downstream ever sees unverified
 * data (a corrupt block is counted in {@link #badCids()} and then looks missing to the walk);
 * memory is bounded by {@link Limits#maxTotalBytes()} because the reader refuses larger streams.
 *
 * <p>Trade-off: holding the whole repository is simple and correct for any block order, at the
 * cost of memory proportional to the CAR (bounded by the limit, not by the PDS). Since
 * {@code getRepo} usually sends blocks in walk order, a later version could emit records while
 * streaming and only buffer the blocks that arrive early.
 */
public final class CarBlocks {

    private final List<Cid> roots;
    private final Map<Cid, byte[]> blocks;
    private final long blockCount;
    private final long badCids;
    private final long bytes;

    private CarBlocks(List<Cid> roots, Map<Cid, byte[]> blocks, long blockCount, long badCids, long bytes) {
        this.roots = roots;
        this.blocks = blocks;
        this.blockCount = blockCount;
        this.badCids = badCids;
        this.bytes = bytes;
    }

    /** Reads the whole stream (not closing it). */
    public static CarBlocks read(InputStream in, Limits limits) throws IOException {
        CarReader reader = new CarReader(in, limits);
        Map<Cid, byte[]> blocks = new HashMap<>();
        for (CarBlock block = reader.next(); block != null; block = reader.next()) {
            if (block.verified()) {
                blocks.putIfAbsent(block.cid(), block.data());
            }
        }
        return new CarBlocks(reader.roots(), blocks, reader.blocks(), reader.badCids(), reader.bytesRead());
    }

    public List<Cid> roots() {
        return roots;
    }

    /** The verified payload of {@code cid}, or {@code null} when the CAR did not contain it (intact). */
    public byte[] get(Cid cid) {
        return blocks.get(cid);
    }

    public boolean contains(Cid cid) {
        return blocks.containsKey(cid);
    }

    /** Block sections in the CAR, including duplicates and corrupt ones. */
    public long blockCount() {
        return blockCount;
    }

    /** Distinct verified blocks kept. */
    public int distinctBlocks() {
        return blocks.size();
    }

    /** Blocks whose payload did not hash to their CID; they were dropped. */
    public long badCids() {
        return badCids;
    }

    /** Size of the CAR stream in bytes. */
    public long bytes() {
        return bytes;
    }
}
