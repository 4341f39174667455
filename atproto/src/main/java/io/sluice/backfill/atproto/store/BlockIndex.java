package io.sluice.backfill.atproto.store;

import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongPredicate;

/**
 * Where each block of one repository is stored, found by CID: an open-addressing table of
 * {@code (fingerprint, location)} pairs, 16 bytes a slot, in {@link LongPages}.
 *
 * <p>Why its pages may spill: a CAR within the size limit can hold some 6.5 million tiny blocks,
 * whose index (about 24 bytes a block at the table's average load, more while it grows) does not
 * fit beside anything else in a 256 MiB heap, let alone once per concurrent download. A limit on
 * the block count was the alternative, but the largest real repositories (2 million records, some
 * 4.5 million blocks) would need nearly the same index, so no count both admits them and keeps a
 * small heap safe. Instead the table takes heap pages from the same {@link MemoryBudget} as the
 * block bytes and beyond it lives in a memory-mapped {@link SpillFile}: heap use is bounded by the
 * budget, the block count only by the CAR size limit.
 *
 * <p>Entries are found by a 64-bit fingerprint of the CID; the caller confirms a candidate against
 * the stored CID bytes, so a fingerprint collision costs a comparison, never a wrong block. The
 * fingerprint is seeded per index, so a hostile CAR cannot pick CIDs (identity-hash ones need no
 * hashing at all) that pile into one probe sequence. Not thread-safe.
 */
final class BlockIndex implements AutoCloseable {

    /** What {@link #find} returns for an absent CID; no location is this negative. */
    static final long ABSENT = Long.MIN_VALUE;
    private static final long M = 0x9E3779B97F4A7C15L;
    private static final long FIRST_SLOTS = 1024;

    private final long seed = ThreadLocalRandom.current().nextLong();
    private final MemoryBudget budget;
    private final SpillFile spill;
    /** Slot s is longs 2s (fingerprint, never 0 when used) and 2s + 1 (location). */
    private LongPages table;
    private long mask;
    private long size;

    BlockIndex(MemoryBudget budget, SpillFile spill) throws IOException {
        this.budget = budget;
        this.spill = spill;
        this.table = new LongPages(2 * FIRST_SLOTS, budget, spill);
        this.mask = FIRST_SLOTS - 1;
    }

    /** The seeded fingerprint of the CID in {@code cid[0, len)}; never 0, which marks a free slot. */
    long fingerprint(byte[] cid, int len) {
        long h = seed ^ (len * M);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long word = 0;
            for (int b = 0; b < 8; b++) word = (word << 8) | (cid[i + b] & 0xff);
            h = mix(h ^ word);
        }
        long tail = 0;
        for (; i < len; i++) tail = (tail << 8) | (cid[i] & 0xff);
        return mix(h ^ tail ^ M) | 1;
    }

    /** The location of a block with this fingerprint that {@code sameCid} confirms, or {@link #ABSENT}. */
    long find(long fingerprint, LongPredicate sameCid) {
        for (long s = slot(fingerprint, mask); ; s = (s + 1) & mask) {
            long f = table.get(2 * s);
            if (f == 0) return ABSENT;
            if (f == fingerprint) {
                long location = table.get(2 * s + 1);
                if (sameCid.test(location)) return location;
            }
        }
    }

    /** Adds a block the caller found absent. */
    void add(long fingerprint, long location) throws IOException {
        if ((size + 1) * 3 > (mask + 1) * 2) grow(); // at most 2/3 full: short probe sequences
        insert(table, mask, fingerprint, location);
        size++;
    }

    long size() {
        return size;
    }

    /** Heap bytes of the table, all reserved from the budget. */
    long heapBytes() {
        return table.heapBytes();
    }

    @Override
    public void close() {
        table.release(budget);
    }

    private void grow() throws IOException {
        long slots = 2 * (mask + 1);
        LongPages bigger = new LongPages(2 * slots, budget, spill);
        long biggerMask = slots - 1;
        for (long s = 0; s <= mask; s++) {
            long f = table.get(2 * s);
            if (f != 0) insert(bigger, biggerMask, f, table.get(2 * s + 1));
        }
        table.release(budget);
        table = bigger;
        mask = biggerMask;
    }

    private static void insert(LongPages table, long mask, long fingerprint, long location) {
        long s = slot(fingerprint, mask);
        while (table.get(2 * s) != 0) s = (s + 1) & mask;
        table.set(2 * s, fingerprint);
        table.set(2 * s + 1, location);
    }

    private static long slot(long fingerprint, long mask) {
        return (fingerprint ^ (fingerprint >>> 32)) & mask;
    }

    /** The finaliser of MurmurHash3's 64-bit variant: every input bit affects every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
