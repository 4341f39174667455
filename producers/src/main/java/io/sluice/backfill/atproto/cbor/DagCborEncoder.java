package io.sluice.backfill.atproto.cbor;

import io.sluice.backfill.atproto.cid.Cid;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes Java values as canonical DAG-CBOR, so that equal values always give equal bytes and
 * therefore equal CIDs (what the PDS simulator needs to build real repositories).
 *
 * <p>Consumes the value types {@link DagCborDecoder} produces: {@code Map} with {@code String}
 * keys, {@code Collection}, {@code Long}/{@code Integer}/{@code Short}/{@code Byte},
 * {@code byte[]}, {@code String}, {@code Boolean}, {@code null}, {@code Double}/{@code Float}
 * (always written as 64-bit floats), {@link Cid}. Guarantees: shortest integer and length
 * encodings, map keys sorted by encoded length then bytewise, definite lengths only, so
 * {@code encode(decode(b))} reproduces any canonical {@code b}. An instance reuses its output
 * buffer and is not thread-safe; {@link #encodeValue} is the one-shot form.
 */
public final class DagCborEncoder {

    private byte[] buf = new byte[512];
    private int size;

    public static byte[] encodeValue(Object value) {
        return new DagCborEncoder().encode(value);
    }

    /** The DAG-CBOR CIDv1 of {@code value}'s canonical encoding. */
    public static Cid cidOf(Object value) {
        return Cid.of(Cid.DAG_CBOR, encodeValue(value));
    }

    public byte[] encode(Object value) {
        size = 0;
        write(value, 0);
        return Arrays.copyOf(buf, size);
    }

    private void write(Object value, int depth) {
        if (depth > CborReader.MAX_DEPTH) {
            throw new DagCborException("value nested deeper than " + CborReader.MAX_DEPTH + " levels");
        }
        if (value == null) {
            ensure(1);
            buf[size++] = (byte) 0xf6;
        } else if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            head(CborReader.TEXT, utf8.length);
            append(utf8);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long v = ((Number) value).longValue();
            if (v >= 0) {
                head(CborReader.UINT, v);
            } else {
                head(CborReader.NEGINT, -1 - v);
            }
        } else if (value instanceof Boolean b) {
            ensure(1);
            buf[size++] = (byte) (b ? 0xf5 : 0xf4);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, depth);
        } else if (value instanceof Collection<?> list) {
            head(CborReader.ARRAY, list.size());
            for (Object item : list) {
                write(item, depth + 1);
            }
        } else if (value instanceof byte[] bytes) {
            head(CborReader.BYTES, bytes.length);
            append(bytes);
        } else if (value instanceof Cid cid) {
            head(CborReader.TAG, CborReader.CID_TAG);
            head(CborReader.BYTES, cid.encodedLength() + 1);
            ensure(cid.encodedLength() + 1);
            buf[size++] = 0; // multibase identity prefix, required by DAG-CBOR's tag 42
            size = cid.copyTo(buf, size);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new DagCborException("NaN and infinities cannot be encoded in DAG-CBOR");
            }
            ensure(9);
            buf[size++] = (byte) 0xfb;
            long bits = Double.doubleToLongBits(d);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[size++] = (byte) (bits >>> shift);
            }
        } else {
            throw new DagCborException("cannot encode " + value.getClass().getName() + " as DAG-CBOR");
        }
    }

    private void writeMap(Map<?, ?> map, int depth) {
        int n = map.size();
        byte[][] keys = new byte[n][];
        Object[] values = new Object[n];
        Integer[] order = new Integer[n];
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new DagCborException("DAG-CBOR map keys must be strings, found " + DagCborDecoder.typeName(e.getKey()));
            }
            keys[i] = key.getBytes(StandardCharsets.UTF_8);
            values[i] = e.getValue();
            order[i] = i;
            i++;
        }
        Arrays.sort(order, (a, b) -> {
            int byLength = Integer.compare(keys[a].length, keys[b].length);
            return byLength != 0 ? byLength : Arrays.compareUnsigned(keys[a], keys[b]);
        });
        head(CborReader.MAP, n);
        for (int k : order) {
            head(CborReader.TEXT, keys[k].length);
            append(keys[k]);
            write(values[k], depth + 1);
        }
    }

    /** Writes a head with the shortest encoding of {@code arg}. */
    private void head(int major, long arg) {
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

    private void append(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, size, bytes.length);
        size += bytes.length;
    }

    private void ensure(int extra) {
        if (size + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
        }
    }
}
