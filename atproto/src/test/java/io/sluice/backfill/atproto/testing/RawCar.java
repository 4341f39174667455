package io.sluice.backfill.atproto.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately minimal CARv1 reader for tests, sharing no code with the production parser:
 * sections are split with a local varint loop, each CIDv1 is taken apart field by field and its
 * sha-256 digest is recomputed with a fresh {@link MessageDigest}. Tests compare the production
 * reader and builders against this; {@link Cars} writes CARs.
 */
public final class RawCar {

    /** One section: the CID's binary form, the payload, and whether sha-256(payload) equals the CID's digest. */
    public record Section(long offset, long end, byte[] cid, byte[] data, boolean digestMatches) {

        /** Offset of the payload within the CAR. */
        public long dataOffset() {
            return end - data.length;
        }
    }

    public record Car(byte[] header, List<Section> sections) {
    }

    private RawCar() {
    }

    public static Car parse(byte[] car) {
        int[] p = {0};
        int headerLength = (int) varint(car, p);
        byte[] header = Arrays.copyOfRange(car, p[0], p[0] + headerLength);
        p[0] += headerLength;
        List<Section> sections = new ArrayList<>();
        while (p[0] < car.length) {
            int start = p[0];
            long length = varint(car, p);
            int cidStart = p[0];
            long version = varint(car, p);
            if (version != 1) {
                throw new IllegalStateException("test reader only handles CIDv1, found version " + version);
            }
            varint(car, p); // codec
            long hash = varint(car, p);
            int digestLength = (int) varint(car, p);
            byte[] digest = Arrays.copyOfRange(car, p[0], p[0] + digestLength);
            int dataStart = p[0] + digestLength;
            int end = cidStart + (int) length;
            byte[] cid = Arrays.copyOfRange(car, cidStart, dataStart);
            byte[] data = Arrays.copyOfRange(car, dataStart, end);
            boolean matches = hash == 0x12 && Arrays.equals(sha256(data), digest);
            sections.add(new Section(start, end, cid, data, matches));
            p[0] = end;
        }
        return new Car(header, sections);
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long varint(byte[] b, int[] p) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            int x = b[p[0]++] & 0xff;
            value |= (long) (x & 0x7f) << shift;
            if (x < 0x80) {
                return value;
            }
        }
    }
}
