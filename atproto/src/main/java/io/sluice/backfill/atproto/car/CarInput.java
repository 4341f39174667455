package io.sluice.backfill.atproto.car;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffered reader over the CAR stream that knows its byte offset, so every error can say where
 * it happened. One 64 KiB buffer per stream, no per-byte allocation; large payloads bypass the
 * buffer.
 */
final class CarInput {

    private static final int MAX_VARINT_BYTES = 9;

    private final InputStream in;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    /** Stream offset of {@code buf[0]}. */
    private long base;

    CarInput(InputStream in) {
        this.in = in;
    }

    long offset() {
        return base + pos;
    }

    /** Whether the stream is exhausted (reads ahead if the buffer is empty). */
    boolean atEnd() throws IOException {
        return pos == lim && !fill();
    }

    /**
     * Reads one byte. {@code what} and {@code block} (-1 for the header) only name the item in
     * error messages; they are constants so the hot path builds no strings.
     */
    int readByte(String what, long block) throws IOException {
        if (pos == lim && !fill()) {
            throw truncated(what, block, 1);
        }
        return buf[pos++] & 0xff;
    }

    /**
     * Reads an unsigned varint, copying its raw bytes to {@code raw[rawOff...]} when {@code raw}
     * is not null (the CID reader needs them); returns the value.
     */
    long readVarint(String what, long block, byte[] raw, int rawOff) throws IOException {
        long start = offset();
        long value = 0;
        for (int i = 0; i < MAX_VARINT_BYTES; i++) {
            int b = readByte(what, block);
            if (raw != null) {
                raw[rawOff + i] = (byte) b;
            }
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new CarFormatException(CarFormatException.Reason.MALFORMED, start,
                            describe(what, block) + " is not a minimally encoded varint, at byte offset " + start);
                }
                return value;
            }
        }
        throw new CarFormatException(CarFormatException.Reason.MALFORMED, start,
                describe(what, block) + " is a varint longer than " + MAX_VARINT_BYTES + " bytes, at byte offset " + start);
    }

    void readFully(byte[] dst, int off, int len, String what, long block) throws IOException {
        while (len > 0) {
            if (pos == lim) {
                if (len >= buf.length) {
                    // Big payload: read straight into the destination instead of through the buffer.
                    int n = in.read(dst, off, len);
                    if (n < 0) {
                        throw truncated(what, block, len);
                    }
                    base += n;
                    off += n;
                    len -= n;
                    continue;
                }
                if (!fill()) {
                    throw truncated(what, block, len);
                }
            }
            int n = Math.min(len, lim - pos);
            System.arraycopy(buf, pos, dst, off, n);
            pos += n;
            off += n;
            len -= n;
        }
    }

    private boolean fill() throws IOException {
        base += lim;
        pos = 0;
        lim = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        lim = n;
        return true;
    }

    private CarFormatException truncated(String what, long block, int missing) {
        return new CarFormatException(CarFormatException.Reason.TRUNCATED, offset(),
                "CAR truncated at byte offset " + offset() + ": the stream ended " + missing
                        + " byte(s) short while reading " + describe(what, block));
    }

    /** "the CAR header length", "the CID of block 3", ... */
    static String describe(String what, long block) {
        return block < 0 ? "the CAR header" + (what.isEmpty() ? "" : " " + what) : "the " + what + " of block " + block;
    }
}
