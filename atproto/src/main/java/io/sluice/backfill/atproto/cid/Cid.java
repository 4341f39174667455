package io.sluice.backfill.atproto.cid;

import java.util.Arrays;

/**
 * A content identifier: version, content codec and multihash, kept in its binary form.
 *
 * <p>Consumes binary CIDs (CIDv1 {@code <version><codec><hash code><digest length><digest>} with
 * unsigned-varint fields, or a bare 34-byte sha2-256 multihash for legacy CIDv0) and multibase
 * strings (base32 lower {@code b...} for v1, base58btc {@code Qm...} for v0). Produces the string
 * form atproto uses ({@link #toString()}) and can check a block's bytes against its digest.
 * Guarantees: immutable; equal iff the binary forms are equal; the digest of a sha2-256 CID is
 * 32 bytes. Any codec parses; {@link #of} computes CIDs for {@link #DAG_CBOR} and {@link #RAW}.
 */
public final class Cid {

    public static final int DAG_PB = 0x70;
    public static final int DAG_CBOR = 0x71;
    public static final int RAW = 0x55;
    public static final int SHA2_256 = 0x12;
    public static final int IDENTITY = 0x00;

    /** Longest digest accepted: sha2-512 and friends; anything longer is garbage, not a new hash. */
    private static final int MAX_DIGEST_LENGTH = 64;

    private final byte[] bytes;
    private final int version;
    private final int codec;
    private final int hashType;
    private final int digestOffset;
    private final int hash;
    private String text; // lazily computed; a benign race computes the same string twice at worst

    private Cid(byte[] bytes, int version, int codec, int hashType, int digestOffset) {
        this.bytes = bytes;
        this.version = version;
        this.codec = codec;
        this.hashType = hashType;
        this.digestOffset = digestOffset;
        this.hash = Arrays.hashCode(bytes);
    }

    /** The CIDv1 (sha2-256) of {@code data} under {@code codec}, e.g. {@link #DAG_CBOR} or {@link #RAW}. */
    public static Cid of(int codec, byte[] data) {
        return of(codec, data, 0, data.length);
    }

    public static Cid of(int codec, byte[] data, int off, int len) {
        byte[] digest = Sha256.digest(data, off, len);
        byte[] out = new byte[1 + Varint.size(codec) + 2 + digest.length];
        int p = Varint.write(1, out, 0);
        p = Varint.write(codec, out, p);
        out[p++] = SHA2_256;
        out[p++] = (byte) digest.length;
        System.arraycopy(digest, 0, out, p, digest.length);
        return new Cid(out, 1, codec, SHA2_256, p);
    }

    /** Parses the binary CID that fills {@code bytes} exactly. */
    public static Cid decode(byte[] bytes) {
        Cid cid = read(bytes, 0, bytes.length);
        if (cid.bytes.length != bytes.length) {
            throw new CidFormatException((bytes.length - cid.bytes.length) + " trailing bytes after binary CID");
        }
        return cid;
    }

    /**
     * Parses the binary CID that starts at {@code buf[off]} and ends at or before {@code limit};
     * its length is {@link #encodedLength()}.
     */
    public static Cid read(byte[] buf, int off, int limit) {
        if (limit - off >= 2 && buf[off] == SHA2_256 && buf[off + 1] == Sha256.DIGEST_LENGTH) {
            if (limit - off < 34) {
                throw new CidFormatException("CIDv0 truncated: " + (limit - off) + " of 34 bytes");
            }
            return new Cid(Arrays.copyOfRange(buf, off, off + 34), 0, DAG_PB, SHA2_256, 2);
        }
        int[] cursor = {off};
        long version = Varint.read(buf, cursor, limit, "CID version");
        if (version != 1) {
            throw new CidFormatException("unsupported CID version " + version + " (expected 1, or a CIDv0 multihash)");
        }
        long codec = Varint.read(buf, cursor, limit, "CID codec");
        long hashType = Varint.read(buf, cursor, limit, "CID multihash code");
        long digestLength = Varint.read(buf, cursor, limit, "CID digest length");
        if (codec > Integer.MAX_VALUE || hashType > Integer.MAX_VALUE) {
            throw new CidFormatException("CID codec or multihash code out of range");
        }
        if (digestLength > MAX_DIGEST_LENGTH || (hashType == SHA2_256 && digestLength != Sha256.DIGEST_LENGTH)) {
            throw new CidFormatException("CID digest length " + digestLength + " is invalid for multihash 0x"
                    + Long.toHexString(hashType));
        }
        int digestOffset = cursor[0];
        int end = digestOffset + (int) digestLength;
        if (end > limit) {
            throw new CidFormatException("CID truncated: digest needs " + digestLength + " bytes, "
                    + (limit - digestOffset) + " available");
        }
        return new Cid(Arrays.copyOfRange(buf, off, end), 1, (int) codec, (int) hashType, digestOffset - off);
    }

    /** Parses a CID string: base32 lower CIDv1 ({@code b...}) or base58btc CIDv0 ({@code Qm...}). */
    public static Cid parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new CidFormatException("CID string is empty");
        }
        if (text.length() == 46 && text.startsWith("Qm")) {
            Cid cid = decode(Base58.decode(text));
            if (cid.version != 0) {
                throw new CidFormatException("'" + text + "' is not a CIDv0");
            }
            return cid;
        }
        if (text.charAt(0) != 'b') {
            throw new CidFormatException("unsupported multibase prefix '" + text.charAt(0)
                    + "' in CID '" + text + "' (supported: 'b' base32 lower, CIDv0 'Qm...')");
        }
        Cid cid = decode(Base32.decode(text, 1));
        if (cid.version != 1) {
            throw new CidFormatException("'" + text + "' is base32 but not a CIDv1");
        }
        return cid;
    }

    public int version() {
        return version;
    }

    public int codec() {
        return codec;
    }

    public int hashType() {
        return hashType;
    }

    /** Length of the binary form, e.g. 36 for a sha2-256 dag-cbor CIDv1. */
    public int encodedLength() {
        return bytes.length;
    }

    /** A copy of the binary form. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the binary form into {@code dst} at {@code off}; returns the offset after it. */
    public int copyTo(byte[] dst, int off) {
        System.arraycopy(bytes, 0, dst, off, bytes.length);
        return off + bytes.length;
    }

    /** A copy of the multihash digest. */
    public byte[] digest() {
        return Arrays.copyOfRange(bytes, digestOffset, bytes.length);
    }

    /**
     * Whether {@code data[off, off+len)} hashes to this CID's digest. Supports sha2-256 and the
     * identity multihash; for any other hash function it throws, since "cannot check" is neither
     * a match nor a mismatch.
     */
    public boolean matches(byte[] data, int off, int len) {
        return switch (hashType) {
            case SHA2_256 -> Sha256.matches(data, off, len, bytes, digestOffset);
            case IDENTITY -> Arrays.equals(data, off, off + len, bytes, digestOffset, bytes.length);
            default -> throw new CidFormatException("cannot verify CID " + this + ": unsupported multihash 0x"
                    + Integer.toHexString(hashType) + " (atproto uses sha2-256)");
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** The multibase string: {@code b} + base32 lower for CIDv1, base58btc for CIDv0. */
    @Override
    public String toString() {
        String s = text;
        if (s == null) {
            s = version == 0 ? Base58.encode(bytes) : "b" + Base32.encode(bytes);
            text = s;
        }
        return s;
    }
}
