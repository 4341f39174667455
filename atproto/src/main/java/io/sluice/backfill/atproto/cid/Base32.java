package io.sluice.backfill.atproto.cid;

/**
 * RFC 4648 base32, lowercase, no padding: the multibase {@code b} encoding atproto uses for CIDs.
 * Decoding is strict (lowercase only, canonical trailing bits) so that one CID has one string.
 */
public final class Base32 {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }

    private Base32() {
    }

    public static String encode(byte[] data) {
        char[] out = new char[(data.length * 8 + 4) / 5];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out[o++] = ALPHABET[(buffer >>> (bits - 5)) & 31];
                bits -= 5;
            }
        }
        if (bits > 0) {
            out[o++] = ALPHABET[(buffer << (5 - bits)) & 31];
        }
        return new String(out, 0, o);
    }

    /** Decodes {@code text} from index {@code start} to its end. */
    public static byte[] decode(String text, int start) {
        int chars = text.length() - start;
        int leftoverBits = chars * 5 % 8;
        if (leftoverBits >= 5) {
            throw new CidFormatException("base32 text of " + chars + " characters is not a whole number of bytes");
        }
        byte[] out = new byte[chars * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int o = 0;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            int v = c < 128 ? VALUES[c] : -1;
            if (v < 0) {
                throw new CidFormatException("invalid base32 character '" + c + "' at index " + i);
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[o++] = (byte) (buffer >>> (bits - 8));
                bits -= 8;
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new CidFormatException("base32 text has non-zero trailing bits");
        }
        return out;
    }
}
