package io.sluice.backfill.atproto.cbor;

import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.cid.CidFormatException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A cursor over DAG-CBOR bytes in an array, shared by the value decoder and the JSON transcoder so
 * both accept exactly the same inputs. It reads one item head at a time and enforces the
 * acceptance rules of {@code @ipld/dag-cbor}, the decoder of the reference PDS: minimal integer
 * and length encodings, no indefinite lengths, no {@code undefined} or other simple values, only
 * 64-bit floats and no NaN or infinities, only tag 42 (CID links), valid UTF-8, 64-bit signed
 * integers. Map key order is not enforced (the block hash already pins the bytes). Lengths are
 * checked against the bytes remaining before anything is allocated, so hostile lengths cannot
 * cause large allocations.
 */
final class CborReader {

    static final int UINT = 0;
    static final int NEGINT = 1;
    static final int BYTES = 2;
    static final int TEXT = 3;
    static final int ARRAY = 4;
    static final int MAP = 5;
    static final int TAG = 6;
    static final int SIMPLE = 7;

    static final int FALSE = 20;
    static final int TRUE = 21;
    static final int NULL = 22;
    static final int FLOAT64 = 27;
    static final int CID_TAG = 42;

    /**
     * The default nesting limit: the reference PDS accepts records far deeper than 128 levels (140 was
     * seen), so this accepts them; twice this depth still fits in a default 1 MiB thread stack, even
     * interpreted (DagCborDepthTest).
     */
    static final int DEFAULT_MAX_DEPTH = 512;

    final byte[] buf;
    final int start;
    final int end;
    int pos;
    /** Argument of the head just read: a value, a length, a tag number or float bits. */
    long arg;
    /** Additional information (low five bits) of the head just read. */
    int info;
    private CharsetDecoder utf8;

    CborReader(byte[] buf, int off, int len) {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IndexOutOfBoundsException("range [" + off + ", " + (off + len) + ") of a " + buf.length + "-byte array");
        }
        this.buf = buf;
        this.start = off;
        this.end = off + len;
        this.pos = off;
    }

    boolean atEnd() {
        return pos == end;
    }

    /** Reads one item head; returns its major type and sets {@link #arg} and {@link #info}. */
    int readHead() {
        if (pos >= end) {
            throw error("unexpected end of input");
        }
        int initial = buf[pos++] & 0xff;
        int major = initial >>> 5;
        int ai = initial & 31;
        info = ai;
        if (ai < 24) {
            arg = ai;
            return major;
        }
        int size = switch (ai) {
            case 24 -> 1;
            case 25 -> 2;
            case 26 -> 4;
            case 27 -> 8;
            case 31 -> throw error("indefinite-length items are not allowed in DAG-CBOR");
            default -> throw error("reserved additional information " + ai);
        };
        if (end - pos < size) {
            throw error("unexpected end of input in a " + size + "-byte argument");
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = (v << 8) | (buf[pos++] & 0xff);
        }
        arg = v;
        // Major type 7 carries floats and simple values, whose size is part of the type, not a length.
        if (major != SIMPLE) {
            boolean minimal = switch (size) {
                case 1 -> v >= 24;
                case 2 -> v > 0xff;
                case 4 -> v > 0xffff;
                default -> Long.compareUnsigned(v, 0xffffffffL) > 0;
            };
            if (!minimal) {
                throw error("integer or length " + Long.toUnsignedString(v) + " is not minimally encoded");
            }
        }
        return major;
    }

    /** {@link #arg} as a length of that many bytes, checked against the input remaining. */
    int byteLength() {
        if (Long.compareUnsigned(arg, end - pos) > 0) {
            throw error("length " + Long.toUnsignedString(arg) + " exceeds the " + (end - pos) + " bytes remaining");
        }
        return (int) arg;
    }

    /** {@link #arg} as a count of items, each at least {@code minItemBytes} long, checked against the input remaining. */
    int itemCount(int minItemBytes) {
        if (Long.compareUnsigned(arg, (end - pos) / minItemBytes) > 0) {
            throw error("item count " + Long.toUnsignedString(arg) + " exceeds what the remaining " + (end - pos) + " bytes can hold");
        }
        return (int) arg;
    }

    /** The signed value of an integer head of major type {@code major}. */
    long intValue(int major) {
        if (arg < 0) { // above Long.MAX_VALUE as an unsigned number
            throw error("integer outside the signed 64-bit range");
        }
        return major == UINT ? arg : -1 - arg;
    }

    /** The double of a major-type-7 head that must be a 64-bit float. */
    double floatValue() {
        double d = Double.longBitsToDouble(arg);
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw error("NaN and infinities are not allowed in DAG-CBOR");
        }
        return d;
    }

    /** Throws for a major-type-7 head that DAG-CBOR does not allow. */
    DagCborException badSimple() {
        return switch (info) {
            case 23 -> error("'undefined' is not allowed in DAG-CBOR");
            case 25, 26 -> error("16- and 32-bit floats are not allowed in DAG-CBOR (floats are always 64-bit)");
            default -> error("simple value " + (info == 24 ? arg : info) + " is not allowed in DAG-CBOR");
        };
    }

    /** Reads a text string of {@code len} bytes at the cursor. */
    String text(int len) {
        int p = pos;
        int limit = p + len;
        pos = limit;
        for (int i = p; i < limit; i++) {
            if (buf[i] < 0) {
                return utf8(p, len);
            }
        }
        // Pure ASCII, the common case for keys and most values: Latin-1 is a plain copy into a compact string.
        return new String(buf, p, len, StandardCharsets.ISO_8859_1);
    }

    private String utf8(int p, int len) {
        if (utf8 == null) {
            utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
        }
        try {
            CharBuffer chars = utf8.decode(ByteBuffer.wrap(buf, p, len));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new DagCborException("invalid UTF-8 in text string at byte " + (p - start), e);
        }
    }

    /** Reads the CID payload of a tag-42 item (the tag head already read). */
    Cid link() {
        if (arg != CID_TAG) {
            throw error("tag " + Long.toUnsignedString(arg) + " is not allowed in DAG-CBOR (only 42, CID links)");
        }
        if (readHead() != BYTES) {
            throw error("tag 42 must wrap a byte string");
        }
        int len = byteLength();
        if (len < 1 || buf[pos] != 0) {
            throw error("CID link must start with the 0x00 multibase prefix");
        }
        try {
            Cid cid = Cid.read(buf, pos + 1, pos + len);
            if (cid.encodedLength() != len - 1) {
                throw error("CID link has " + (len - 1 - cid.encodedLength()) + " trailing bytes");
            }
            pos += len;
            return cid;
        } catch (CidFormatException e) {
            throw new DagCborException("invalid CID link at byte " + (pos - start) + ": " + e.getMessage(), e);
        }
    }

    DagCborException error(String message) {
        return new DagCborException(message + " at byte " + (pos - start));
    }
}
