package io.sluice.backfill.atproto.cbor;

import io.sluice.backfill.atproto.cid.Cid;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer that DAG-CBOR items are appended to, one head at a time: the low-level half
 * of {@link DagCborEncoder}, public so that hot paths (MST nodes, generated records) can write
 * fixed-shape values without building maps first.
 *
 * <p>Guarantees the shortest head for every integer and length, definite lengths only and tag 42
 * with the identity multibase prefix for links. Canonical map key order is the caller's job: keys
 * must be written sorted by encoded length, then bytewise. Not thread-safe; {@link #reset} makes
 * an instance reusable without reallocating.
 */
public final class CborWriter {

    private byte[] buf;
    private int size;

    public CborWriter() {
        this(512);
    }

    public CborWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    public CborWriter reset() {
        size = 0;
        return this;
    }

    public int size() {
        return size;
    }

    /** The backing array; bytes {@code [0, size())} are the output. Valid until the next write. */
    public byte[] array() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, size);
    }

    public CborWriter mapHeader(int entries) {
        head(CborReader.MAP, entries);
        return this;
    }

    public CborWriter arrayHeader(int items) {
        head(CborReader.ARRAY, items);
        return this;
    }

    public CborWriter integer(long v) {
        if (v >= 0) {
            head(CborReader.UINT, v);
        } else {
            head(CborReader.NEGINT, -1 - v);
        }
        return this;
    }

    /** A text string; ASCII is copied char by char, which avoids an intermediate byte array. */
    public CborWriter text(String s) {
        int n = s.length();
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = s.charAt(i) < 0x80;
        }
        if (!ascii) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            head(CborReader.TEXT, utf8.length);
            append(utf8, 0, utf8.length);
            return this;
        }
        head(CborReader.TEXT, n);
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** A text string given as UTF-8 bytes. */
    public CborWriter textUtf8(byte[] utf8, int off, int len) {
        head(CborReader.TEXT, len);
        append(utf8, off, len);
        return this;
    }

    public CborWriter bytes(byte[] data, int off, int len) {
        head(CborReader.BYTES, len);
        append(data, off, len);
        return this;
    }

    /** A CID link (tag 42), or null when {@code cid} is null: MST nodes use both. */
    public CborWriter link(Cid cid) {
        if (cid == null) {
            return nul();
        }
        head(CborReader.TAG, CborReader.CID_TAG);
        head(CborReader.BYTES, cid.encodedLength() + 1);
        ensure(cid.encodedLength() + 1);
        buf[size++] = 0; // multibase identity prefix, required by DAG-CBOR's tag 42
        size = cid.copyTo(buf, size);
        return this;
    }

    public CborWriter nul() {
        ensure(1);
        buf[size++] = (byte) 0xf6;
        return this;
    }

    public CborWriter bool(boolean b) {
        ensure(1);
        buf[size++] = (byte) (b ? 0xf5 : 0xf4);
        return this;
    }

    /** Always a 64-bit float, as DAG-CBOR requires; NaN and infinities are rejected. */
    public CborWriter float64(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new DagCborException("NaN and infinities cannot be encoded in DAG-CBOR");
        }
        ensure(9);
        buf[size++] = (byte) 0xfb;
        long bits = Double.doubleToLongBits(d);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (bits >>> shift);
        }
        return this;
    }

    /** Writes a head with the shortest encoding of {@code arg}. */
    void head(int major, long arg) {
        ensure(9);
        int type = major << 5;
        if (arg < 24) {
            buf[size++] = (byte) (type | arg);
        } else if (arg <= 0xff) {
            buf[size++] = (byte) (type | 24);
            buf[size++] = (byte) arg;
        } else if (arg <= 0xffff) {
            buf[size++] = (byte) (type | 25);
            buf[size++] = (byte) (arg >>> 8);
            buf[size++] = (byte) arg;
        } else if (arg <= 0xffffffffL) {
            buf[size++] = (byte) (type | 26);
            for (int shift = 24; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (arg >>> shift);
            }
        } else {
            buf[size++] = (byte) (type | 27);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (arg >>> shift);
            }
        }
    }

    void append(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
