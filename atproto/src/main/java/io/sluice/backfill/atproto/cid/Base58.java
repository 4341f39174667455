package io.sluice.backfill.atproto.cid;

/**
 * Base58btc (the Bitcoin alphabet), for the string form of legacy CIDv0 ({@code Qm...}) and of
 * {@code did:key} multikeys. Only ever applied to values of a few dozen bytes, so the quadratic
 * textbook algorithm is fine.
 */
public final class Base58 {

    private static final char[] ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz".toCharArray();
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = i;
        }
    }

    private Base58() {
    }

    public static String encode(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[zeros] == 0) {
            zeros++;
        }
        byte[] digits = new byte[data.length * 138 / 100 + 1]; // log(256)/log(58) ~ 1.37
        int length = 0;
        for (int i = zeros; i < data.length; i++) {
            int carry = data[i] & 0xff;
            for (int j = 0; j < length; j++) {
                carry += (digits[j] & 0xff) << 8;
                digits[j] = (byte) (carry % 58);
                carry /= 58;
            }
            while (carry > 0) {
                digits[length++] = (byte) (carry % 58);
                carry /= 58;
            }
        }
        StringBuilder sb = new StringBuilder(zeros + length);
        sb.repeat('1', zeros);
        for (int j = length - 1; j >= 0; j--) {
            sb.append(ALPHABET[digits[j]]);
        }
        return sb.toString();
    }

    static byte[] decode(String text) {
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        byte[] bytes = new byte[text.length()];
        int length = 0;
        for (int i = zeros; i < text.length(); i++) {
            char c = text.charAt(i);
            int carry = c < 128 ? VALUES[c] : -1;
            if (carry < 0) {
                throw new CidFormatException("invalid base58 character '" + c + "' at index " + i);
            }
            for (int j = 0; j < length; j++) {
                carry += (bytes[j] & 0xff) * 58;
                bytes[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                bytes[length++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] out = new byte[zeros + length];
        for (int j = 0; j < length; j++) {
            out[zeros + j] = bytes[length - 1 - j];
        }
        return out;
    }
}
