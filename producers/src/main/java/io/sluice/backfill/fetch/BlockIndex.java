package io.sluice.backfill.fetch;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntPredicate;

/**
 * Where each block of one repository is stored, found by CID: an open-addressing table over
 * parallel primitive arrays, about 30 bytes per block (a {@code HashMap<Cid, ...>} costs some 150).
 * That is what lets a repository of a million blocks be indexed in a few tens of megabytes while
 * its bytes live in a {@link BlockStore}'s chunks or spill file.
 *
 * <p>Entries are found by a 64-bit fingerprint of the CID; the caller confirms a candidate against
 * the stored CID bytes, so a fingerprint collision costs a comparison, never a wrong block. The
 * fingerprint is seeded per index, so a hostile CAR cannot pick CIDs (identity-hash ones need no
 * hashing at all) that pile into one probe sequence. Not thread-safe.
 */
final class BlockIndex {

    private static final long M = 0x9E3779B97F4A7C15L;

    private final long seed = ThreadLocalRandom.current().nextLong();
    /** Block id + 1 per slot; 0 marks an empty slot. */
    private int[] slots = new int[1024];
    private long[] fingerprints = new long[512];
    private long[] locations = new long[512];
    private int[] lengths = new int[512];
    private byte[] cidLengths = new byte[512];
    private int size;

    /** The seeded fingerprint of the CID in {@code cid[0, len)}. */
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
        return mix(h ^ tail ^ M);
    }

    /** The id of a block with this fingerprint and CID length that {@code sameCid} confirms, or -1. */
    int find(long fingerprint, int cidLength, IntPredicate sameCid) {
        int mask = slots.length - 1;
        for (int s = slot(fingerprint, mask); slots[s] != 0; s = (s + 1) & mask) {
            int id = slots[s] - 1;
            if (fingerprints[id] == fingerprint && cidLengths[id] == cidLength && sameCid.test(id)) return id;
        }
        return -1;
    }

    /** Adds a block the caller found absent; returns its id. */
    int add(long fingerprint, int cidLength, long location, int length) {
        if (cidLength > Byte.MAX_VALUE) throw new IllegalArgumentException("CID of " + cidLength + " bytes");
        if (size == fingerprints.length) grow();
        if ((size + 1) * 2 > slots.length) rehash();
        int id = size++;
        fingerprints[id] = fingerprint;
        locations[id] = location;
        lengths[id] = length;
        cidLengths[id] = (byte) cidLength;
        insert(slots, id, fingerprint);
        return id;
    }

    long location(int id) {
        return locations[id];
    }

    int length(int id) {
        return lengths[id];
    }

    int size() {
        return size;
    }

    /** Heap bytes of the arrays, for the memory report. */
    long footprint() {
        return slots.length * 4L + fingerprints.length * (8L + 8 + 4 + 1);
    }

    private void grow() {
        int n = fingerprints.length * 2;
        fingerprints = Arrays.copyOf(fingerprints, n);
        locations = Arrays.copyOf(locations, n);
        lengths = Arrays.copyOf(lengths, n);
        cidLengths = Arrays.copyOf(cidLengths, n);
    }

    private void rehash() {
        int[] bigger = new int[slots.length * 2];
        for (int id = 0; id < size; id++) insert(bigger, id, fingerprints[id]);
        slots = bigger;
    }

    private static void insert(int[] table, int id, long fingerprint) {
        int mask = table.length - 1;
        int s = slot(fingerprint, mask);
        while (table[s] != 0) s = (s + 1) & mask;
        table[s] = id + 1;
    }

    private static int slot(long fingerprint, int mask) {
        return (int) (fingerprint ^ (fingerprint >>> 32)) & mask;
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
