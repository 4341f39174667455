package io.sluice.backfill.atproto.cid;

/**
 * Unsigned LEB128 varints as multiformats uses them (CID fields, CAR section lengths): at most 9
 * bytes, minimally encoded. Strict so that one value has one encoding, which CIDs rely on.
 */
public final class Varint {

    public static final int MAX_BYTES = 9;

    private Varint() {
    }

    /** Reads a varint at {@code buf[cursor[0]]} (before {@code limit}) and advances the cursor. */
    public static long read(byte[] buf, int[] cursor, int limit, String what) {
        long value = 0;
        int p = cursor[0];
        for (int i = 0; i < MAX_BYTES; i++) {
            if (p >= limit) {
                throw new CidFormatException(what + ": varint truncated");
            }
            int b = buf[p++] & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new CidFormatException(what + ": varint is not minimally encoded");
                }
                cursor[0] = p;
                return value;
            }
        }
        throw new CidFormatException(what + ": varint longer than " + MAX_BYTES + " bytes");
    }

    public static int size(long value) {
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /** Writes {@code value} at {@code out[off]}; returns the offset after it. */
    public static int write(long value, byte[] out, int off) {
        while ((value & ~0x7fL) != 0) {
            out[off++] = (byte) ((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out[off++] = (byte) value;
        return off;
    }
}
