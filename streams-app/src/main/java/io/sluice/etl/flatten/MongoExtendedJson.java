package io.sluice.etl.flatten;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import org.bson.BsonDocument;
import org.bson.BsonInvalidOperationException;
import org.bson.BsonValue;
import org.bson.json.JsonParseException;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads the MongoDB Extended JSON that Debezium puts in a change event's {@code after} (its strict
 * mode: {@code {"$numberLong": "7"}}, {@code {"$date": 1700000000000}}, {@code {"$numberDecimal": "1.50"}},
 * {@code {"$oid": "…"}}) and in its key (relaxed mode), with MongoDB's own parser, which also accepts
 * the canonical and relaxed forms ({@code $numberInt}, {@code $numberDouble}, ISO {@code $date}s …).
 * Writes BSON values back as plain JSON for the jsonb columns: numbers as numbers, dates as ISO-8601
 * strings, ObjectIds as hex strings, so PostgreSQL's JSON operators work on them.
 */
public final class MongoExtendedJson {

    /**
     * Deepest nesting of documents and arrays accepted. MongoDB itself stores at most 100 levels; the limit
     * keeps a hostile document from overflowing the stack of the recursive readers and writers.
     */
    public static final int MAX_NESTING_DEPTH = 200;

    private static final JsonFactory JSON = new JsonFactory();

    private MongoExtendedJson() {
    }

    /**
     * Parses a document.
     *
     * @throws UnmappableDocumentException when the text is not an extended-JSON document
     */
    public static BsonDocument parseDocument(String json) {
        // Most documents take the fast path; what it does not handle, MongoDB's reader parses (or refuses).
        BsonDocument fast = FastExtendedJson.parseOrNull(json);
        return fast != null ? fast : parseWithMongoReader(json);
    }

    /**
     * Parses a document given as UTF-8 bytes, as an Avro string holds it.
     *
     * @throws UnmappableDocumentException when the text is not an extended-JSON document
     */
    public static BsonDocument parseDocument(byte[] utf8, int offset, int length) {
        BsonDocument fast = FastExtendedJson.parseOrNull(utf8, offset, length);
        return fast != null ? fast : parseWithMongoReader(new String(utf8, offset, length, StandardCharsets.UTF_8));
    }

    private static BsonDocument parseWithMongoReader(String json) {
        requireNestingWithinLimit(json);
        try {
            return BsonDocument.parse(json);
        } catch (JsonParseException | BsonInvalidOperationException | IllegalArgumentException e) {
            throw new UnmappableDocumentException("not a MongoDB extended-JSON document: " + e.getMessage(), e);
        }
    }

    /** A scan of the text before MongoDB's reader, whose decoding recurses once per level. */
    private static void requireNestingWithinLimit(String json) {
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                if (++depth > MAX_NESTING_DEPTH) {
                    throw new UnmappableDocumentException("the document nests deeper than " + MAX_NESTING_DEPTH + " levels");
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
    }

    /**
     * Parses the {@code id} of a Debezium MongoDB key: the extended JSON of the document's
     * {@code _id}, e.g. {@code 42}, {@code {"$numberLong": "42"}} or {@code {"$oid": "…"}}.
     */
    public static BsonValue parseKeyId(String id) {
        return parseDocument("{\"_id\": " + id + "}").get("_id");
    }

    /** A BSON value as plain JSON text, for a jsonb column. */
    public static String toPlainJson(BsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            write(json, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private static void write(JsonGenerator json, BsonValue value) throws IOException {
        switch (value.getBsonType()) {
            case DOCUMENT -> {
                json.writeStartObject();
                for (Map.Entry<String, BsonValue> e : value.asDocument().entrySet()) {
                    json.writeFieldName(e.getKey());
                    write(json, e.getValue());
                }
                json.writeEndObject();
            }
            case ARRAY -> {
                json.writeStartArray();
                for (BsonValue element : value.asArray()) write(json, element);
                json.writeEndArray();
            }
            case STRING -> json.writeString(value.asString().getValue());
            case INT32 -> json.writeNumber(value.asInt32().getValue());
            case INT64 -> json.writeNumber(value.asInt64().getValue());
            case DOUBLE -> {
                double d = value.asDouble().getValue();
                // JSON has no NaN or infinities; jsonb would refuse them as numbers.
                if (Double.isFinite(d)) json.writeNumber(d); else json.writeString(Double.toString(d));
            }
            case DECIMAL128 -> {
                var decimal = value.asDecimal128().getValue();
                if (decimal.isNaN() || decimal.isInfinite()) json.writeString(decimal.toString());
                else json.writeNumber(BsonNumbers.bigDecimal(decimal));
            }
            case BOOLEAN -> json.writeBoolean(value.asBoolean().getValue());
            case NULL, UNDEFINED -> json.writeNull();
            case DATE_TIME -> json.writeString(java.time.Instant.ofEpochMilli(value.asDateTime().getValue()).toString());
            case OBJECT_ID -> json.writeString(value.asObjectId().getValue().toHexString());
            // the rest (binary, regex, timestamp, min/max key …) keep their relaxed extended-JSON form
            default -> json.writeRawValue(new BsonDocument("v", value).toJson().replaceFirst("^\\{\\s*\"v\"\\s*:\\s*", "")
                    .replaceFirst("\\s*}$", ""));
        }
    }
}
