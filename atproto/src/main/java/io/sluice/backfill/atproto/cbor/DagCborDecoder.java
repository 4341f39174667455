package io.sluice.backfill.atproto.cbor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes one DAG-CBOR item into plain Java values.
 *
 * <p>Produces: {@code Map<String, Object>} (a {@link LinkedHashMap} in encoded key order),
 * {@code List<Object>}, {@link Long} for every integer, {@code byte[]}, {@link String},
 * {@link Boolean}, {@code null}, {@link Double} for 64-bit floats and
 * {@link io.sluice.backfill.atproto.cid.Cid} for tag-42 links. Accepts exactly what
 * {@link CborReader} accepts, plus: map keys must be text strings and unique, and the item must
 * fill the input (no trailing bytes). Stateless and thread-safe. Floats decode even though the
 * atproto data model forbids them: that is a data-model rule, checked by {@link DataModel}.
 */
public final class DagCborDecoder {

    private DagCborDecoder() {
    }

    public static Object decode(byte[] data) {
        return decode(data, 0, data.length);
    }

    /** Decodes the single item that fills {@code data[off, off+len)}. */
    public static Object decode(byte[] data, int off, int len) {
        CborReader r = new CborReader(data, off, len);
        Object value = read(r, 0);
        if (!r.atEnd()) {
            throw r.error("trailing bytes after the top-level item");
        }
        return value;
    }

    /** Decodes an item that must be a map, e.g. a record, commit or MST node. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> decodeMap(byte[] data, int off, int len) {
        Object value = decode(data, off, len);
        if (!(value instanceof Map)) {
            throw new DagCborException("expected a DAG-CBOR map, found " + typeName(value));
        }
        return (Map<String, Object>) value;
    }

    public static Map<String, Object> decodeMap(byte[] data) {
        return decodeMap(data, 0, data.length);
    }

    private static Object read(CborReader r, int depth) {
        int major = r.readHead();
        switch (major) {
            case CborReader.UINT, CborReader.NEGINT:
                return r.intValue(major);
            case CborReader.BYTES: {
                int len = r.byteLength();
                byte[] bytes = Arrays.copyOfRange(r.buf, r.pos, r.pos + len);
                r.pos += len;
                return bytes;
            }
            case CborReader.TEXT:
                return r.text(r.byteLength());
            case CborReader.ARRAY: {
                checkDepth(r, depth);
                int n = r.itemCount(1);
                List<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    list.add(read(r, depth + 1));
                }
                return list;
            }
            case CborReader.MAP: {
                checkDepth(r, depth);
                int n = r.itemCount(2);
                Map<String, Object> map = LinkedHashMap.newLinkedHashMap(n);
                for (int i = 0; i < n; i++) {
                    if (r.readHead() != CborReader.TEXT) {
                        throw r.error("map keys must be text strings in DAG-CBOR");
                    }
                    String key = r.text(r.byteLength());
                    int before = map.size();
                    map.put(key, read(r, depth + 1));
                    if (map.size() == before) {
                        throw r.error("duplicate map key '" + key + "'");
                    }
                }
                return map;
            }
            case CborReader.TAG:
                return r.link();
            default:
                return switch (r.info) {
                    case CborReader.FALSE -> Boolean.FALSE;
                    case CborReader.TRUE -> Boolean.TRUE;
                    case CborReader.NULL -> null;
                    case CborReader.FLOAT64 -> r.floatValue();
                    default -> throw r.badSimple();
                };
        }
    }

    private static void checkDepth(CborReader r, int depth) {
        if (depth >= CborReader.DEFAULT_MAX_DEPTH) {
            throw new DagCborDepthException("nesting deeper than " + CborReader.DEFAULT_MAX_DEPTH + " levels at byte "
                    + (r.pos - r.start));
        }
    }

    static String typeName(Object value) {
        return value == null ? "null" : value instanceof byte[] ? "bytes" : value.getClass().getSimpleName();
    }
}
