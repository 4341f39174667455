package io.sluice.etl.flatten;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import org.bson.BsonArray;
import org.bson.BsonBoolean;
import org.bson.BsonDateTime;
import org.bson.BsonDecimal128;
import org.bson.BsonDocument;
import org.bson.BsonDouble;
import org.bson.BsonInt32;
import org.bson.BsonInt64;
import org.bson.BsonNull;
import org.bson.BsonObjectId;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A fast path for {@link MongoExtendedJson#parseDocument}: reads the extended JSON of Debezium's
 * {@code after} with Jackson's streaming parser, several times faster than the MongoDB driver's
 * {@code JsonReader}, which was most of the flattener's CPU time.
 *
 * <p>It understands what Debezium writes for ordinary documents: objects, arrays, strings, booleans,
 * null, plain numbers (an integer as int32 when it fits, else int64; a fraction as double, as
 * {@code JsonReader} does) and the wrappers {@code $numberInt}, {@code $numberLong}, {@code $numberDouble},
 * {@code $numberDecimal}, {@code $oid} and {@code $date} with a number or {@code $numberLong}. For
 * anything else (other {@code $} wrappers, ISO date strings, huge integers, malformed text) it returns
 * null and the caller parses with MongoDB's own reader, so results and errors stay MongoDB's.
 */
final class FastExtendedJson {

    // deeper documents fall back to MongoExtendedJson, which refuses them with a clear message
    private static final JsonFactory JSON = JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MongoExtendedJson.MAX_NESTING_DEPTH).build()).build();

    /** Thrown inside the parser to give up and let MongoDB's reader decide. */
    private static final class NotHandled extends Exception {
        NotHandled() {
            super(null, null, false, false);
        }
    }

    private static final NotHandled NOT_HANDLED = new NotHandled();

    private FastExtendedJson() {
    }

    /** The document, or null when the text needs MongoDB's reader. */
    static BsonDocument parseOrNull(String json) {
        // Jackson reads the hex digits of a backslash-u escape in a String through a table indexed by the
        // char's low byte: "00e" and U+0163 came out as U+00EC, where MongoDB's reader refuses the escape
        // (found by ExtendedJsonFuzzTest). An escape with anything but ASCII in it is MongoDB's reader's to judge.
        if (nonAsciiInAnEscape(json)) return null;
        try (JsonParser p = JSON.createParser(json)) {
            return document(p);
        } catch (IOException | NotHandled | RuntimeException e) {
            // RuntimeException: a wrapper with a malformed number or id; MongoDB's reader reports it properly
            return null;
        }
    }

    private static boolean nonAsciiInAnEscape(String json) {
        for (int i = json.indexOf("\\u"); i >= 0; i = json.indexOf("\\u", i + 2)) {
            for (int k = i + 2; k < Math.min(i + 6, json.length()); k++) {
                if (json.charAt(k) > 0x7F) return true;
            }
        }
        return false;
    }

    /**
     * The document in UTF-8 bytes (as Avro holds a string), or null when the text needs MongoDB's reader
     * (malformed UTF-8 included). Parsing the bytes spares decoding them into a String first.
     */
    static BsonDocument parseOrNull(byte[] utf8, int offset, int length) {
        // Jackson checks the UTF-8 of string values but not of field names: {"\xfft": 1} came out as
        // {"t": 1} (found by ExtendedJsonFuzzTest). Malformed bytes anywhere: MongoDB's reader decides.
        if (!wellFormedUtf8(utf8, offset, length)) return null;
        try (JsonParser p = JSON.createParser(utf8, offset, length)) {
            return document(p);
        } catch (IOException | NotHandled | RuntimeException e) {
            return null;
        }
    }

    /** ASCII, the common case, costs one pass over the bytes; anything else a strict decode. */
    private static boolean wellFormedUtf8(byte[] utf8, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end && utf8[i] >= 0) i++;
        if (i == end) return true;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(utf8, i, end - i));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static BsonDocument document(JsonParser p) throws IOException, NotHandled {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        BsonValue value = object(p);
        if (p.nextToken() != null || !value.isDocument()) return null;
        return value.asDocument();
    }

    private static BsonValue value(JsonParser p, JsonToken t) throws IOException, NotHandled {
        return switch (t) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                BsonArray a = new BsonArray();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) a.add(value(p, e));
                yield a;
            }
            case VALUE_STRING -> new BsonString(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> new BsonInt32(p.getIntValue());
                case LONG -> new BsonInt64(p.getLongValue());
                default -> throw NOT_HANDLED;
            };
            case VALUE_NUMBER_FLOAT -> new BsonDouble(Double.parseDouble(p.getText()));
            case VALUE_TRUE -> BsonBoolean.TRUE;
            case VALUE_FALSE -> BsonBoolean.FALSE;
            case VALUE_NULL -> BsonNull.VALUE;
            default -> throw NOT_HANDLED;
        };
    }

    /** After START_OBJECT: a document, or the value of a type wrapper. */
    private static BsonValue object(JsonParser p) throws IOException, NotHandled {
        JsonToken t = p.nextToken();
        BsonDocument doc = new BsonDocument();
        if (t == JsonToken.END_OBJECT) return doc;
        String first = p.currentName();
        if (first.startsWith("$")) return wrapper(p, first);
        for (; t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            doc.put(name, value(p, p.nextToken()));
        }
        return doc;
    }

    private static BsonValue wrapper(JsonParser p, String type) throws IOException, NotHandled {
        JsonToken t = p.nextToken();
        BsonValue v = switch (type) {
            case "$numberLong" -> new BsonInt64(Long.parseLong(text(p, t)));
            case "$numberInt" -> new BsonInt32(Integer.parseInt(text(p, t)));
            case "$numberDouble" -> new BsonDouble(Double.parseDouble(text(p, t)));
            case "$numberDecimal" -> new BsonDecimal128(Decimal128.parse(text(p, t)));
            case "$oid" -> new BsonObjectId(new ObjectId(text(p, t)));
            case "$date" -> new BsonDateTime(dateMillis(p, t));
            default -> throw NOT_HANDLED;
        };
        if (p.nextToken() != JsonToken.END_OBJECT) throw NOT_HANDLED; // more keys: not a wrapper MongoDB knows
        return v;
    }

    private static long dateMillis(JsonParser p, JsonToken t) throws IOException, NotHandled {
        if (t == JsonToken.VALUE_NUMBER_INT) return p.getLongValue();
        if (t == JsonToken.START_OBJECT && p.nextToken() == JsonToken.FIELD_NAME && "$numberLong".equals(p.currentName())) {
            long millis = Long.parseLong(text(p, p.nextToken()));
            if (p.nextToken() != JsonToken.END_OBJECT) throw NOT_HANDLED;
            return millis;
        }
        throw NOT_HANDLED; // ISO strings and the rest: MongoDB's reader
    }

    private static String text(JsonParser p, JsonToken t) throws IOException, NotHandled {
        if (t != JsonToken.VALUE_STRING) throw NOT_HANDLED;
        return p.getText();
    }
}
