package io.sluice.backfill.atproto.cbor;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cid.Cid;
import java.util.List;
import java.util.Map;

/**
 * The atproto data-model rules that sit above DAG-CBOR (atproto.com/specs/data-model): no floats;
 * a {@code $type} field, where present, is a non-empty string; a blob ({@code $type: "blob"}) has a
 * CID {@code ref}, a string {@code mimeType} and an integer {@code size}. Consumes decoded values;
 * throws {@link AtprotoFormatException} naming the path of the first violation.
 *
 * <p>The repository parser does not run this on every record: records are passed on as the PDS
 * stored them (their bytes are hash-verified), and downstream code decides what to reject.
 */
public final class DataModel {

    private DataModel() {
    }

    public static boolean isValid(Object value) {
        try {
            validate(value);
            return true;
        } catch (AtprotoFormatException e) {
            return false;
        }
    }

    public static void validate(Object value) {
        validate(value, "");
    }

    private static void validate(Object value, String path) {
        if (value instanceof Double || value instanceof Float) {
            throw violation("floats are not allowed (" + value + ")", path);
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                validate(list.get(i), path + "[" + i + "]");
            }
        } else if (value instanceof Map<?, ?> map) {
            if (map.containsKey("$type")) {
                Object type = map.get("$type");
                if (!(type instanceof String s) || s.isEmpty()) {
                    throw violation("$type must be a non-empty string, found " + DagCborDecoder.typeName(type)
                            + (type instanceof String ? " (empty)" : ""), path);
                }
                if (s.equals("blob")) {
                    validateBlob(map, path);
                }
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                validate(e.getValue(), path + "." + e.getKey());
            }
        }
    }

    private static void validateBlob(Map<?, ?> blob, String path) {
        if (!(blob.get("ref") instanceof Cid)) {
            throw violation("blob must have a CID link 'ref'", path);
        }
        if (!(blob.get("mimeType") instanceof String)) {
            throw violation("blob must have a string 'mimeType'", path);
        }
        if (!(blob.get("size") instanceof Long)) {
            throw violation("blob must have an integer 'size'", path);
        }
    }

    private static AtprotoFormatException violation(String message, String path) {
        return new AtprotoFormatException("data model: " + message + " at " + (path.isEmpty() ? "the top level" : path.substring(1)));
    }
}
