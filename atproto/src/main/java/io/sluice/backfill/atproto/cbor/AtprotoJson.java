package io.sluice.backfill.atproto.cbor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.cid.CidFormatException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between atproto data-model values (as {@link DagCborDecoder} produces and
 * {@link DagCborEncoder} consumes) and their JSON form (atproto.com/specs/data-model): a CID is
 * {@code {"$link": "<cid>"}}, bytes are {@code {"$bytes": "<base64, no padding>"}}.
 *
 * <p>{@link #toJsonNode} accepts any decoded value. {@link #fromJson} is strict, as a PDS is when
 * it accepts a record: the top level must be an object, {@code $link}/{@code $bytes} objects must
 * have exactly that one string field holding a valid CID / base64, numbers must be integers (an
 * integral float such as {@code 123.0} becomes 123), and the result must pass {@link DataModel#validate}.
 */
public final class AtprotoJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    /** Integral floats beyond 2^53 may already have lost precision in the JSON parser. */
    private static final double MAX_EXACT_INTEGER = 9007199254740992.0;

    private AtprotoJson() {
    }

    /** The JSON form of a decoded data-model value. */
    public static JsonNode toJsonNode(Object value) {
        if (value == null) {
            return NODES.nullNode();
        } else if (value instanceof String s) {
            return NODES.textNode(s);
        } else if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).longValue());
        } else if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        } else if (value instanceof Map<?, ?> map) {
            ObjectNode object = NODES.objectNode();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map key " + e.getKey() + " is not a string");
                }
                object.set(key, toJsonNode(e.getValue()));
            }
            return object;
        } else if (value instanceof List<?> list) {
            ArrayNode array = NODES.arrayNode(list.size());
            for (Object item : list) {
                array.add(toJsonNode(item));
            }
            return array;
        } else if (value instanceof Cid cid) {
            return NODES.objectNode().put("$link", cid.toString());
        } else if (value instanceof byte[] bytes) {
            return NODES.objectNode().put("$bytes", BASE64.encodeToString(bytes));
        } else if (value instanceof Double || value instanceof Float) {
            return NODES.numberNode(((Number) value).doubleValue());
        }
        throw new IllegalArgumentException("not a data-model value: " + value.getClass().getName());
    }

    public static String toJsonString(Object value) {
        try {
            return MAPPER.writeValueAsString(toJsonNode(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a JSON tree failed", e);
        }
    }

    /** Parses JSON text into a data-model record; see {@link #fromJson(JsonNode)}. */
    public static Map<String, Object> fromJson(String json) {
        try {
            return fromJson(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new AtprotoFormatException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Converts an atproto JSON object into a validated data-model map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> fromJson(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new AtprotoFormatException("data model: top-level value must be an object, found "
                    + (node == null ? "nothing" : node.getNodeType()));
        }
        Object value = convert(node, "");
        if (!(value instanceof Map)) {
            throw new AtprotoFormatException("data model: top-level value must be an object, not a $link or $bytes");
        }
        DataModel.validate(value);
        return (Map<String, Object>) value;
    }

    private static Object convert(JsonNode node, String path) {
        switch (node.getNodeType()) {
            case NULL:
                return null;
            case BOOLEAN:
                return node.booleanValue();
            case STRING:
                return node.textValue();
            case NUMBER:
                return number(node, path);
            case ARRAY: {
                List<Object> list = new ArrayList<>(node.size());
                for (int i = 0; i < node.size(); i++) {
                    list.add(convert(node.get(i), path + "[" + i + "]"));
                }
                return list;
            }
            case OBJECT:
                return object(node, path);
            default:
                throw new AtprotoFormatException("data model: unsupported JSON node " + node.getNodeType() + " at " + where(path));
        }
    }

    private static Object object(JsonNode node, String path) {
        if (node.has("$link")) {
            JsonNode link = single(node, "$link", path);
            try {
                return Cid.parse(link.textValue());
            } catch (CidFormatException e) {
                throw new AtprotoFormatException("data model: invalid $link at " + where(path) + ": " + e.getMessage(), e);
            }
        }
        if (node.has("$bytes")) {
            JsonNode bytes = single(node, "$bytes", path);
            try {
                return Base64.getDecoder().decode(bytes.textValue());
            } catch (IllegalArgumentException e) {
                throw new AtprotoFormatException("data model: invalid base64 in $bytes at " + where(path), e);
            }
        }
        Map<String, Object> map = LinkedHashMap.newLinkedHashMap(node.size());
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            map.put(field.getKey(), convert(field.getValue(), path + "." + field.getKey()));
        }
        return map;
    }

    private static JsonNode single(JsonNode node, String field, String path) {
        if (node.size() != 1) {
            throw new AtprotoFormatException("data model: a " + field + " object must have no other fields, at " + where(path));
        }
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new AtprotoFormatException("data model: " + field + " must be a string, found " + value.getNodeType()
                    + " at " + where(path));
        }
        return value;
    }

    private static Long number(JsonNode node, String path) {
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new AtprotoFormatException("data model: integer " + node + " outside the 64-bit range at " + where(path));
            }
            return node.longValue();
        }
        double d = node.doubleValue();
        if (d == Math.rint(d) && Math.abs(d) <= MAX_EXACT_INTEGER) {
            return (long) d;
        }
        throw new AtprotoFormatException("data model: floats are not allowed (" + node + " at " + where(path) + ")");
    }

    private static String where(String path) {
        return path.isEmpty() ? "the top level" : path.substring(1);
    }
}
