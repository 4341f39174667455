package io.sluice.backfill.atproto.mst;

import io.sluice.backfill.atproto.cid.Sha256;
import java.nio.charset.StandardCharsets;

/**
 * Key rules of the atproto Merkle Search Tree (atproto.com/specs/repository): a key is
 * {@code <collection>/<record key>}, and its height (the tree layer it lives on) is the number of
 * leading zero bits of SHA-256(key) divided by two, i.e. a fanout of 4.
 */
public final class MstKeys {

    /** The repository spec's maximum key length. */
    public static final int MAX_KEY_LENGTH = 1024;

    private MstKeys() {
    }

    public static int height(String key) {
        return height(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Leading zero bits of SHA-256({@code key}), counted in pairs. */
    public static int height(byte[] key) {
        return height(key, 0, key.length);
    }

    public static int height(byte[] key, int off, int len) {
        byte[] hash = Sha256.digest(key, off, len);
        int zeros = 0;
        for (byte b : hash) {
            if (b == 0) {
                zeros += 8;
                continue;
            }
            zeros += Integer.numberOfLeadingZeros(b & 0xff) - 24;
            break;
        }
        return zeros / 2;
    }

    /**
     * Whether {@code key} is a valid MST key: at most 1024 characters, exactly one {@code /}, both
     * sides non-empty and made of {@code [a-zA-Z0-9_~.:-]}. The collection is not required to be a
     * valid NSID here; the MST layer only needs keys to be well-formed and ordered.
     */
    public static boolean isValidKey(String key) {
        int length = key.length();
        if (length == 0 || length > MAX_KEY_LENGTH) {
            return false;
        }
        int slash = -1;
        for (int i = 0; i < length; i++) {
            char c = key.charAt(i);
            if (c == '/') {
                if (slash >= 0) {
                    return false;
                }
                slash = i;
            } else if (!isKeyChar(c)) {
                return false;
            }
        }
        return slash > 0 && slash < length - 1;
    }

    /** Length of the common prefix of the UTF-8 forms of {@code a} and {@code b}, in bytes. */
    public static int commonPrefixLength(String a, String b) {
        byte[] x = a.getBytes(StandardCharsets.UTF_8);
        byte[] y = b.getBytes(StandardCharsets.UTF_8);
        int mismatch = java.util.Arrays.mismatch(x, y);
        return mismatch < 0 ? x.length : mismatch;
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '~' || c == '.' || c == ':' || c == '-';
    }
}
