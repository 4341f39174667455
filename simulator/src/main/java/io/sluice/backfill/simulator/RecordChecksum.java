package io.sluice.backfill.simulator;

import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.cid.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * An order-independent checksum over records identified by {@code (did, collection, rkey, cid)}:
 * the sum, modulo 2^64, of the first 8 bytes (big-endian) of
 * {@code SHA-256(did 0x00 collection 0x00 rkey 0x00 <binary CID>)} over every record.
 *
 * <p>Why a sum: whoever checks a backfill (a test reading PostgreSQL, the benchmark) can add
 * records up in any order, per DID or all at once, and compare with {@link PdsSimulator#expected}
 * or {@link PdsSimulator#expectedTotal}; a missing, extra, duplicated or altered record changes
 * it. Use this class to compute the other side. Not thread-safe.
 */
public final class RecordChecksum {

    private long sum;
    private long count;

    /** The checksum term of one record; {@code cid} in its string form (what sinks store). */
    public static long of(String did, String collection, String rkey, String cid) {
        return of(did, collection, rkey, Cid.parse(cid));
    }

    public static long of(String did, String collection, String rkey, Cid cid) {
        byte[] d = did.getBytes(StandardCharsets.UTF_8);
        byte[] c = collection.getBytes(StandardCharsets.UTF_8);
        byte[] r = rkey.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[d.length + c.length + r.length + 3 + cid.encodedLength()];
        System.arraycopy(d, 0, buf, 0, d.length);
        int p = d.length + 1;
        System.arraycopy(c, 0, buf, p, c.length);
        p += c.length + 1;
        System.arraycopy(r, 0, buf, p, r.length);
        p += r.length + 1;
        cid.copyTo(buf, p);
        byte[] hash = Sha256.digest(buf, 0, buf.length);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (hash[i] & 0xff);
        }
        return v;
    }

    public RecordChecksum add(String did, String collection, String rkey, Cid cid) {
        return addTerm(of(did, collection, rkey, cid));
    }

    public RecordChecksum add(String did, String collection, String rkey, String cid) {
        return addTerm(of(did, collection, rkey, cid));
    }

    /** Adds a term from {@link #of}, or a whole other checksum's {@link #value()} with {@code count}. */
    public RecordChecksum addTerm(long term) {
        sum += term;
        count++;
        return this;
    }

    public RecordChecksum merge(long value, long records) {
        sum += value;
        count += records;
        return this;
    }

    public long value() {
        return sum;
    }

    public long count() {
        return count;
    }

    /** 16 lowercase hex digits: the form the JSON APIs use. */
    public String hex() {
        return hex(sum);
    }

    public static String hex(long value) {
        return HexFormat.of().toHexDigits(value);
    }
}
