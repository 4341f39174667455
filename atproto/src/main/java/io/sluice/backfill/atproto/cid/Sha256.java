package io.sluice.backfill.atproto.cid;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * SHA-256 with one {@link MessageDigest} and one scratch buffer per thread: hashing every block of
 * a repository is the hot path of CAR verification, and {@code MessageDigest.getInstance} is far
 * costlier than the hash of a few hundred bytes.
 */
public final class Sha256 {

    public static final int DIGEST_LENGTH = 32;

    private static final ThreadLocal<Sha256> PER_THREAD = ThreadLocal.withInitial(Sha256::new);

    private final MessageDigest digest;
    private final byte[] scratch = new byte[DIGEST_LENGTH];

    private Sha256() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
    }

    /** The SHA-256 of {@code data[off, off+len)}, in a new array. */
    public static byte[] digest(byte[] data, int off, int len) {
        MessageDigest md = PER_THREAD.get().digest;
        md.update(data, off, len);
        return md.digest();
    }

    public static byte[] digest(byte[] data) {
        return digest(data, 0, data.length);
    }

    /** Whether SHA-256 of {@code data[off, off+len)} equals {@code expected[expectedOff, +32)}, without allocating. */
    public static boolean matches(byte[] data, int off, int len, byte[] expected, int expectedOff) {
        Sha256 self = PER_THREAD.get();
        self.digest.update(data, off, len);
        try {
            self.digest.digest(self.scratch, 0, DIGEST_LENGTH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 digest into a 32-byte buffer failed", e);
        }
        return Arrays.equals(self.scratch, 0, DIGEST_LENGTH, expected, expectedOff, expectedOff + DIGEST_LENGTH);
    }
}
