package io.sluice.backfill.atproto.cbor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Transcodes DAG-CBOR bytes straight to the atproto JSON form, without building a value tree:
 * this is the per-record hot path of the backfill. CID links become {@code {"$link": "<cid>"}},
 * byte strings {@code {"$bytes": "<base64, no padding>"}}, integers JSON integers, floats JSON
 * numbers; map keys keep their encoded order.
 *
 * <p>Accepts exactly the inputs {@link DagCborDecoder} accepts (same {@link CborReader} rules,
 * unique text keys, no trailing bytes), so the two paths cannot disagree on what is valid; the
 * output equals {@code AtprotoJson.toJsonNode(DagCborDecoder.decode(bytes))}. Duplicate keys are
 * found without allocating: canonically ordered keys (the normal case) need only a comparison with
 * the previous key; only an out-of-order map falls back to comparing against all its earlier keys.
 */
public final class DagCborJson {

    /** The nesting accepted when no limit is given: see {@code CborReader.DEFAULT_MAX_DEPTH}. */
    public static final int DEFAULT_MAX_DEPTH = CborReader.DEFAULT_MAX_DEPTH;

    /** Jackson's own nesting limit (1000 by default) lifted: the caller's max depth is the one that applies. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(Integer.MAX_VALUE).build()).build();
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final ThreadLocal<ReusableWriter> OUTPUT = ThreadLocal.withInitial(ReusableWriter::new);

    private final CborReader r;
    private final JsonGenerator gen;
    private final int maxDepth;
    /** (offset, length) of the keys of the maps being written, innermost last. */
    private int[] keys = new int[32];
    private int top;

    private DagCborJson(CborReader r, JsonGenerator gen, int maxDepth) {
        this.r = r;
        this.gen = gen;
        this.maxDepth = maxDepth;
    }

    public static String toJson(byte[] cbor) {
        return toJson(cbor, 0, cbor.length);
    }

    /** As {@link #toJson(byte[])}, refusing nesting deeper than {@code maxDepth} with a {@link DagCborDepthException}. */
    public static String toJson(byte[] cbor, int maxDepth) {
        return toJson(cbor, 0, cbor.length, maxDepth);
    }

    /** The atproto JSON text of the single DAG-CBOR item filling {@code cbor[off, off+len)}. */
    public static String toJson(byte[] cbor, int off, int len) {
        return toJson(cbor, off, len, CborReader.DEFAULT_MAX_DEPTH);
    }

    private static String toJson(byte[] cbor, int off, int len, int maxDepth) {
        if (maxDepth < 1) throw new IllegalArgumentException("max depth must be positive, got " + maxDepth);
        ReusableWriter out = OUTPUT.get();
        out.reset();
        try (JsonGenerator gen = JSON.createGenerator(out)) {
            write(cbor, off, len, gen, maxDepth);
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e);
        }
        return out.toString();
    }

    /**
     * A reusable, unsynchronised in-memory writer (StringWriter is backed by a synchronised
     * StringBuffer and starts small); one per thread, since records are transcoded one at a time.
     */
    private static final class ReusableWriter extends Writer {

        private char[] chars = new char[1024];
        private int size;

        void reset() {
            size = 0;
            if (chars.length > 1 << 20) {
                chars = new char[1024]; // do not pin a buffer grown by one huge record
            }
        }

        @Override
        public void write(char[] src, int off, int len) {
            if (size + len > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, size + len));
            }
            System.arraycopy(src, off, chars, size, len);
            size += len;
        }

        @Override
        public void write(String str, int off, int len) {
            if (size + len > chars.length) {
                chars = Arrays.copyOf(chars, Math.max(chars.length * 2, size + len));
            }
            str.getChars(off, off + len, chars, size);
            size += len;
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return new String(chars, 0, size);
        }
    }

    /** Writes the atproto JSON of the single DAG-CBOR item filling {@code cbor[off, off+len)} to {@code gen}. */
    public static void write(byte[] cbor, int off, int len, JsonGenerator gen) throws IOException {
        write(cbor, off, len, gen, CborReader.DEFAULT_MAX_DEPTH);
    }

    private static void write(byte[] cbor, int off, int len, JsonGenerator gen, int maxDepth) throws IOException {
        CborReader r = new CborReader(cbor, off, len);
        new DagCborJson(r, gen, maxDepth).value(0);
        if (!r.atEnd()) {
            throw r.error("trailing bytes after the top-level item");
        }
    }

    private void value(int depth) throws IOException {
        int major = r.readHead();
        switch (major) {
            case CborReader.UINT, CborReader.NEGINT -> gen.writeNumber(r.intValue(major));
            case CborReader.BYTES -> {
                int len = r.byteLength();
                byte[] encoded = BASE64.encode(Arrays.copyOfRange(r.buf, r.pos, r.pos + len));
                r.pos += len;
                gen.writeStartObject();
                gen.writeFieldName("$bytes");
                gen.writeString(new String(encoded, StandardCharsets.ISO_8859_1));
                gen.writeEndObject();
            }
            case CborReader.TEXT -> gen.writeString(r.text(r.byteLength()));
            case CborReader.ARRAY -> {
                checkDepth(depth);
                int n = r.itemCount(1);
                gen.writeStartArray();
                for (int i = 0; i < n; i++) {
                    value(depth + 1);
                }
                gen.writeEndArray();
            }
            case CborReader.MAP -> map(depth);
            case CborReader.TAG -> {
                String link = r.link().toString();
                gen.writeStartObject();
                gen.writeFieldName("$link");
                gen.writeString(link);
                gen.writeEndObject();
            }
            default -> {
                switch (r.info) {
                    case CborReader.FALSE -> gen.writeBoolean(false);
                    case CborReader.TRUE -> gen.writeBoolean(true);
                    case CborReader.NULL -> gen.writeNull();
                    case CborReader.FLOAT64 -> gen.writeNumber(r.floatValue());
                    default -> throw r.badSimple();
                }
            }
        }
    }

    private void map(int depth) throws IOException {
        checkDepth(depth);
        int n = r.itemCount(2);
        int base = top;
        boolean ordered = true;
        gen.writeStartObject();
        for (int i = 0; i < n; i++) {
            if (r.readHead() != CborReader.TEXT) {
                throw r.error("map keys must be text strings in DAG-CBOR");
            }
            int len = r.byteLength();
            int off = r.pos;
            String key = r.text(len);
            if (i > 0 && ordered) {
                int cmp = canonicalCompare(keys[top - 2], keys[top - 1], off, len);
                ordered = cmp < 0;
                if (cmp == 0) {
                    throw r.error("duplicate map key '" + key + "'");
                }
            }
            if (!ordered) {
                for (int k = base; k < top; k += 2) {
                    if (keys[k + 1] == len && Arrays.equals(r.buf, keys[k], keys[k] + len, r.buf, off, off + len)) {
                        throw r.error("duplicate map key '" + key + "'");
                    }
                }
            }
            push(off, len);
            gen.writeFieldName(key);
            value(depth + 1);
        }
        top = base;
        gen.writeEndObject();
    }

    /** DAG-CBOR key order: shorter keys first, then bytewise. */
    private int canonicalCompare(int aOff, int aLen, int bOff, int bLen) {
        if (aLen != bLen) {
            return aLen - bLen;
        }
        return Arrays.compareUnsigned(r.buf, aOff, aOff + aLen, r.buf, bOff, bOff + bLen);
    }

    private void push(int off, int len) {
        if (top + 2 > keys.length) {
            keys = Arrays.copyOf(keys, keys.length * 2);
        }
        keys[top++] = off;
        keys[top++] = len;
    }

    private void checkDepth(int depth) {
        if (depth >= maxDepth) {
            throw new DagCborDepthException("nesting deeper than " + maxDepth + " levels at byte " + (r.pos - r.start));
        }
    }
}
