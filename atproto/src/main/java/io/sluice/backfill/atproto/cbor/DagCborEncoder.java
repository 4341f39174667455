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
 * writer and is not thread-safe; {@link #encodeValue} is the one-shot form.
 */
public final class DagCborEncoder {

    private final CborWriter out = new CborWriter();

    public static byte[] encodeValue(Object value) {
        return new DagCborEncoder().encode(value);
    }

    /** The DAG-CBOR CIDv1 of {@code value}'s canonical encoding. */
    public static Cid cidOf(Object value) {
        return Cid.of(Cid.DAG_CBOR, encodeValue(value));
    }

    public byte[] encode(Object value) {
        out.reset();
        write(value, 0);
        return out.toByteArray();
    }

    private void write(Object value, int depth) {
        if (depth > CborReader.DEFAULT_MAX_DEPTH) {
            throw new DagCborDepthException("value nested deeper than " + CborReader.DEFAULT_MAX_DEPTH + " levels");
        }
        if (value == null) {
            out.nul();
        } else if (value instanceof String s) {
            out.text(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            out.integer(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            out.bool(b);
        } else if (value instanceof Map<?, ?> map) {
            writeMap(map, depth);
        } else if (value instanceof Collection<?> list) {
            out.arrayHeader(list.size());
            for (Object item : list) {
                write(item, depth + 1);
            }
        } else if (value instanceof byte[] bytes) {
            out.bytes(bytes, 0, bytes.length);
        } else if (value instanceof Cid cid) {
            out.link(cid);
        } else if (value instanceof Double || value instanceof Float) {
            out.float64(((Number) value).doubleValue());
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
        out.mapHeader(n);
        for (int k : order) {
            out.textUtf8(keys[k], 0, keys[k].length);
            write(values[k], depth + 1);
        }
    }
}
