package io.sluice.dcb.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.sluice.dcb.api.JsonBodies.AppendBody;
import io.sluice.dcb.api.JsonBodies.OptionsBody;
import io.sluice.dcb.api.JsonBodies.QueryBody;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.ReadOptions;
import io.sluice.dcb.rules.DcbLimits;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * The JSON side of the dcb.events HTTP contract: parses request bodies strictly (unknown fields,
 * duplicate keys, trailing content, a string where a number belongs and the like are errors, never
 * guessed at) into checked values, and writes the responses. Every parse failure is a
 * {@link BadRequestException} whose message names the field, e.g.
 * {@code events[1].tags[0] must be a non-blank string}. Thread-safe.
 */
public final class DcbJson {

    private static final JsonMapper MAPPER = strictMapper();
    private static final ObjectReader APPEND = MAPPER.readerFor(AppendBody.class);
    private static final ObjectReader QUERY = MAPPER.readerFor(QueryBody.class);
    private static final ObjectReader OPTIONS = MAPPER.readerFor(OptionsBody.class);
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private DcbJson() {
    }

    /** A {@code POST /append} body with the default limits. */
    public static AppendRequest parseAppend(byte[] body) {
        return parseAppend(body, DcbLimits.defaults());
    }

    /** A {@code POST /append} body: strict UTF-8, then JSON, then the checks and {@code limits}. */
    public static AppendRequest parseAppend(byte[] body, DcbLimits limits) {
        StrictUtf8.check(body, "the request body");
        if (blank(body)) throw new BadRequestException("the request body is empty: expected a JSON object");
        ArrayCounts.append(FACTORY, body, limits);
        AppendBody parsed = bind("the request body", () -> APPEND.readValue(body));
        return RequestChecks.append(parsed, limits);
    }

    /** The {@code query} parameter of {@code GET /read} with the default limits; absent: every event. */
    public static Query parseQuery(String json) {
        return parseQuery(json, DcbLimits.defaults());
    }

    /** The {@code query} parameter of {@code GET /read}, already strictly decoded; absent: every event. */
    public static Query parseQuery(String json, DcbLimits limits) {
        if (json == null) return Query.all();
        if (!json.isBlank()) ArrayCounts.query(FACTORY, json, limits);
        return RequestChecks.query(read(QUERY, json, "query"), "query", limits);
    }

    /** The {@code options} parameter of {@code GET /read}; absent: every event, oldest first. */
    public static ReadOptions parseOptions(String json) {
        if (json == null) return ReadOptions.forwards();
        OptionsBody options = read(OPTIONS, json, "options");
        if (options == null) return ReadOptions.forwards();
        if (options.from() != null && options.from() < 0) {
            throw new BadRequestException("options.from must be at least 0, got " + options.from());
        }
        if (options.limit() != null && options.limit() < 1) {
            throw new BadRequestException("options.limit must be at least 1, got " + options.limit());
        }
        return new ReadOptions(options.from() == null ? OptionalLong.empty() : OptionalLong.of(options.from()),
                options.limit() == null ? OptionalInt.empty() : OptionalInt.of(options.limit()),
                Boolean.TRUE.equals(options.backwards()));
    }

    /** {@code {"durationInMicroseconds": n, "appendConditionFailed": b}}. */
    public static byte[] appendResponse(long durationMicros, boolean conditionFailed) {
        return write(g -> {
            g.writeStartObject();
            g.writeNumberField("durationInMicroseconds", durationMicros);
            g.writeBooleanField("appendConditionFailed", conditionFailed);
            g.writeEndObject();
        });
    }

    /** A JSON array of {@code {"type", "tags", "data", "position"}}, data as the string it was appended as. */
    public static byte[] events(List<EventReader.Row> rows) {
        return write(g -> {
            g.writeStartArray();
            for (EventReader.Row row : rows) writeEvent(g, row);
            g.writeEndArray();
        });
    }

    /**
     * Writes the cursor's rows to {@code out} as {@link #events} does, row by row. On a failure the
     * array is left open: a truncated answer must not parse as a complete, shorter one.
     */
    static void writeEvents(EventReader.Cursor cursor, OutputStream out) throws IOException, SQLException {
        JsonGenerator g = FACTORY.createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartArray();
        for (EventReader.Row row; (row = cursor.next()) != null; ) writeEvent(g, row);
        g.writeEndArray();
        g.flush();
    }

    private static void writeEvent(JsonGenerator g, EventReader.Row row) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", row.type());
        g.writeArrayFieldStart("tags");
        for (String tag : row.tags()) g.writeString(tag);
        g.writeEndArray();
        g.writeStringField("data", row.data());
        g.writeNumberField("position", row.position());
        g.writeEndObject();
    }

    /** {@code {"error": code, "message": message, "status": N}}: the shape of {@link io.sluice.common.http.JsonError}. */
    public static byte[] error(int status, String code, String message) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringField("error", code);
            g.writeStringField("message", message);
            g.writeNumberField("status", status);
            g.writeEndObject();
        });
    }

    private static <T> T read(ObjectReader reader, String json, String what) {
        if (json.isBlank()) {
            throw new BadRequestException(what + " is empty: expected a JSON object");
        }
        return bind(what, () -> reader.readValue(json));
    }

    /** JSON whitespace only (or nothing). */
    private static boolean blank(byte[] json) {
        for (byte b : json) if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return false;
        return true;
    }

    @FunctionalInterface
    private interface Binding<T> {
        T bind() throws IOException;
    }

    private static <T> T bind(String what, Binding<T> binding) {
        try {
            T value = binding.bind();
            if (value == null) throw new BadRequestException(what + " must be a JSON object, got null");
            return value;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : " (allowed: " + e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
            throw new BadRequestException("unknown field '" + e.getPropertyName() + "' in " + where(what, e, true) + known);
        } catch (MismatchedInputException e) {
            if (e.getOriginalMessage().startsWith("Trailing token")) {
                throw new BadRequestException(what + " is not valid JSON: more content follows the value");
            }
            throw new BadRequestException(where(what, e, false) + " must be " + expected(e.getTargetType()));
        } catch (JsonProcessingException e) {
            throw new BadRequestException(what + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            // Memory has no I/O to fail: what is left is Jackson's CharConversionException, e.g. a UTF-8
            // body starting with NUL bytes taken for UTF-32 (found by DcbRequestFuzzTest). Not JSON: a 400.
            throw new BadRequestException(what + " is not valid JSON: " + e.getMessage());
        }
    }

    /** {@code events[1].tags} from Jackson's path; the parent object for an unknown field. */
    private static String where(String what, JsonMappingException e, boolean parent) {
        List<JsonMappingException.Reference> path = e.getPath();
        int end = parent ? path.size() - 1 : path.size();
        StringBuilder sb = new StringBuilder(what.equals("the request body") ? "" : what);
        for (int i = 0; i < end; i++) {
            JsonMappingException.Reference ref = path.get(i);
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getFieldName());
            } else {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? what : sb.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) return "of another type";
        if (type == String.class) return "a string";
        if (type == Long.class || type == Integer.class || type == long.class || type == int.class) return "a whole number";
        if (type == Boolean.class || type == boolean.class) return "true or false";
        if (List.class.isAssignableFrom(type)) return "an array";
        return "an object";
    }

    @FunctionalInterface
    private interface Writing {
        void to(JsonGenerator generator) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            writing.to(generator);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a byte array failed", e);
        }
        return out.toByteArray();
    }

    private static JsonMapper strictMapper() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT, DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        // A number is not a string and "5" is not a number: say so instead of converting.
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.EmptyString,
                CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString,
                CoercionInputShape.Integer, CoercionInputShape.Float);
        return mapper;
    }

    private static void refuse(JsonMapper mapper, LogicalType target, CoercionInputShape... shapes) {
        for (CoercionInputShape shape : shapes) mapper.coercionConfigFor(target).setCoercion(shape, CoercionAction.Fail);
    }
}
