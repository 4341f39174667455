package io.sluice.backfill.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The set of DIDs seen so far, held as 64-bit fingerprints rather than strings, so that deduplicating
 * a list of a million DIDs takes about 16 MB instead of the ~150 MB the strings would.
 *
 * <p>How: each DID's fingerprint is the first 8 bytes of its SHA-256, kept in an open-addressing
 * table of {@code long}s (linear probing, 0 marks an empty slot) that grows by half when it is three
 * quarters full. Memory is therefore between 10.7 and 16 bytes per DID, {@link #memoryBytes()}.
 *
 * <p>What it gives up: two distinct DIDs with the same fingerprint are taken for one, and the second
 * is reported as a duplicate. With a uniform 64-bit hash the chance that any such pair exists among
 * n DIDs is about n²/2⁶⁵: 2.7 × 10⁻⁸ for a million, 2.7 × 10⁻⁶ for ten million. Not a security
 * boundary: a list author who wants a DID skipped can simply leave it out. Not thread-safe.
 */
final class DidHashSet {

    private static final double MAX_LOAD = 0.75;
    private static final int MIN_CAPACITY = 1024;

    private final MessageDigest sha256;
    private long[] slots;
    private int size;

    DidHashSet() {
        this(MIN_CAPACITY);
    }

    DidHashSet(int expected) {
        this.slots = new long[Math.max(MIN_CAPACITY, (int) Math.min(Integer.MAX_VALUE - 8, (long) (expected / MAX_LOAD) + 1))];
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Adds {@code did}; returns false when it (or a DID with the same fingerprint) was already there. */
    boolean add(String did) {
        return addFingerprint(fingerprint(did));
    }

    boolean contains(String did) {
        long f = fingerprint(did);
        for (int i = home(f, slots.length); slots[i] != 0; i = next(i, slots.length)) {
            if (slots[i] == f) return true;
        }
        return false;
    }

    int size() {
        return size;
    }

    /** Bytes of the table: its one array (the object headers aside). */
    long memoryBytes() {
        return (long) slots.length * Long.BYTES;
    }

    boolean addFingerprint(long f) {
        for (int i = home(f, slots.length); ; i = next(i, slots.length)) {
            long s = slots[i];
            if (s == f) return false;
            if (s == 0) {
                slots[i] = f;
                if (++size > slots.length * MAX_LOAD) grow();
                return true;
            }
        }
    }

    long fingerprint(String did) {
        byte[] h = sha256.digest(did.getBytes(StandardCharsets.UTF_8));
        long f = 0;
        for (int i = 0; i < Long.BYTES; i++) f = (f << 8) | (h[i] & 0xff);
        // 0 marks an empty slot; folding it onto 1 adds one more 2⁻⁶⁴ collision case.
        return f == 0 ? 1 : f;
    }

    private void grow() {
        long capacity = slots.length + (slots.length >> 1);
        if (capacity > Integer.MAX_VALUE - 8) throw new IllegalStateException("more DIDs than one set can hold: " + size);
        long[] old = slots;
        slots = new long[(int) capacity];
        for (long f : old) {
            if (f == 0) continue;
            int i = home(f, slots.length);
            while (slots[i] != 0) i = next(i, slots.length);
            slots[i] = f;
        }
    }

    /** Maps the fingerprint onto [0, capacity) without a power-of-two table (Lemire's multiply-shift). */
    private static int home(long f, int capacity) {
        return (int) Math.multiplyHigh(f & Long.MAX_VALUE, (long) capacity << 1);
    }

    private static int next(int i, int capacity) {
        return i + 1 == capacity ? 0 : i + 1;
    }
}
