package io.sluice.schemas.connect;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Maps a Kafka Connect schema to the Avro schema its values are written with. Consumes Connect
 * schemas as Debezium builds them; produces Avro schemas that any Avro reader understands without
 * knowing Connect, and that {@link AvroToConnectSchemas} maps back to an equal Connect schema.
 *
 * <p>The mapping follows the one Confluent's AvroConverter established, so the topics look the same
 * to tools that know it: struct → record (named by the Connect name, made a valid Avro name),
 * optional → union with null, int8/int16 → int with {@code connect.type}, Connect's Date, Time,
 * Timestamp and Decimal → Avro's date, time-millis, timestamp-millis and decimal, a map with string
 * keys → map, other maps → an array of key/value records. A Connect schema's name, version, doc and
 * parameters of non-record types (e.g. Debezium's {@code io.debezium.data.Json}) ride along as
 * {@code connect.*} properties. Stateless apart from the per-call naming; use a new instance per schema.
 */
final class ConnectAvroSchemas {

    static final String CONNECT_NAME = "connect.name";
    static final String CONNECT_VERSION = "connect.version";
    static final String CONNECT_DOC = "connect.doc";
    static final String CONNECT_PARAMETERS = "connect.parameters";
    static final String CONNECT_TYPE = "connect.type";
    static final String DEFAULT_NAMESPACE = "io.sluice.connect";
    /** Connect's Decimal carries no precision; Confluent's converter uses this parameter for it. */
    static final String DECIMAL_PRECISION = "connect.decimal.precision";
    static final int DEFAULT_DECIMAL_PRECISION = 64;

    private static final Pattern INVALID_NAME_CHAR = Pattern.compile("[^A-Za-z0-9_]");

    /** Records defined so far in this schema: Avro allows each full name to be defined once. */
    private final Map<String, org.apache.kafka.connect.data.Schema> defined = new HashMap<>();
    private int anonymous;

    private ConnectAvroSchemas() {
    }

    /** The Avro schema of values of {@code connect}. */
    static Schema toAvro(org.apache.kafka.connect.data.Schema connect) {
        return new ConnectAvroSchemas().avro(connect);
    }

    private Schema avro(org.apache.kafka.connect.data.Schema connect) {
        Schema base = nonNull(connect);
        return connect.isOptional() ? Schema.createUnion(Schema.create(Schema.Type.NULL), base) : base;
    }

    /** The Avro schema of a field, whose union puts the default's branch first as Avro requires. */
    private Schema fieldSchema(org.apache.kafka.connect.data.Schema connect) {
        if (connect.isOptional() && connect.defaultValue() != null) {
            return Schema.createUnion(nonNull(connect), Schema.create(Schema.Type.NULL));
        }
        return avro(connect);
    }

    private Schema nonNull(org.apache.kafka.connect.data.Schema connect) {
        String logical = connect.name();
        Schema schema = switch (connect.type()) {
            case INT8, INT16 -> {
                Schema s = Schema.create(Schema.Type.INT);
                s.addProp(CONNECT_TYPE, connect.type().getName());
                yield s;
            }
            case INT32 -> Date.LOGICAL_NAME.equals(logical) ? LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT))
                    : Time.LOGICAL_NAME.equals(logical) ? LogicalTypes.timeMillis().addToSchema(Schema.create(Schema.Type.INT))
                    : Schema.create(Schema.Type.INT);
            case INT64 -> Timestamp.LOGICAL_NAME.equals(logical)
                    ? LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG))
                    : Schema.create(Schema.Type.LONG);
            case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
            case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case STRING -> Schema.create(Schema.Type.STRING);
            case BYTES -> Decimal.LOGICAL_NAME.equals(logical) ? decimal(connect) : Schema.create(Schema.Type.BYTES);
            case ARRAY -> Schema.createArray(avro(connect.valueSchema()));
            case MAP -> map(connect);
            case STRUCT -> record(connect);
        };
        if (connect.type() != org.apache.kafka.connect.data.Schema.Type.STRUCT) addConnectProps(schema, connect);
        return schema;
    }

    private static Schema decimal(org.apache.kafka.connect.data.Schema connect) {
        Map<String, String> params = connect.parameters() == null ? Map.of() : connect.parameters();
        String scale = params.get(Decimal.SCALE_FIELD);
        if (scale == null) throw new DataException("Connect Decimal schema without the '" + Decimal.SCALE_FIELD + "' parameter");
        int precision = Integer.parseInt(params.getOrDefault(DECIMAL_PRECISION, Integer.toString(DEFAULT_DECIMAL_PRECISION)));
        return LogicalTypes.decimal(precision, Integer.parseInt(scale)).addToSchema(Schema.create(Schema.Type.BYTES));
    }

    private Schema map(org.apache.kafka.connect.data.Schema connect) {
        if (connect.keySchema().type() == org.apache.kafka.connect.data.Schema.Type.STRING && !connect.keySchema().isOptional()) {
            return Schema.createMap(avro(connect.valueSchema()));
        }
        // Avro maps only have string keys: other keys become an array of entries.
        String name = DEFAULT_NAMESPACE + ".MapEntry" + (++anonymous);
        Schema entry = Schema.createRecord(simpleName(name), null, namespace(name), false, List.of(
                new Schema.Field("key", avro(connect.keySchema())),
                new Schema.Field("value", avro(connect.valueSchema()))));
        return Schema.createArray(entry);
    }

    private Schema record(org.apache.kafka.connect.data.Schema connect) {
        String connectName = connect.name();
        String fullName = connectName == null ? DEFAULT_NAMESPACE + ".ConnectDefault" + (++anonymous) : avroFullName(connectName);
        org.apache.kafka.connect.data.Schema earlier = defined.putIfAbsent(fullName, connect);
        if (earlier != null && !sameIgnoringOptional(earlier, connect)) {
            throw new DataException("two different Connect structs are both named '" + connectName
                    + "'; Avro needs distinct record names (give the structs distinct schema names)");
        }
        List<Schema.Field> fields = new ArrayList<>();
        for (Field f : connect.fields()) {
            fields.add(new Schema.Field(avroName(f.name()), fieldSchema(f.schema()), f.schema().doc(), fieldDefault(f.schema())));
        }
        Schema record = Schema.createRecord(simpleName(fullName), connect.doc(), namespace(fullName), false, fields);
        if (connectName != null && !connectName.equals(fullName)) record.addProp(CONNECT_NAME, connectName);
        if (connect.version() != null) record.addProp(CONNECT_VERSION, connect.version());
        if (connect.parameters() != null && !connect.parameters().isEmpty()) record.addProp(CONNECT_PARAMETERS, connect.parameters());
        return record;
    }

    private static boolean sameIgnoringOptional(org.apache.kafka.connect.data.Schema a, org.apache.kafka.connect.data.Schema b) {
        return a.fields().equals(b.fields()) && java.util.Objects.equals(a.version(), b.version());
    }

    private static Object fieldDefault(org.apache.kafka.connect.data.Schema connect) {
        Object value = connect.defaultValue();
        if (value == null) return connect.isOptional() ? JsonProperties.NULL_VALUE : null;
        return ConnectAvroValues.defaultToJson(connect, value);
    }

    private static void addConnectProps(Schema schema, org.apache.kafka.connect.data.Schema connect) {
        if (connect.name() != null) schema.addProp(CONNECT_NAME, connect.name());
        if (connect.version() != null) schema.addProp(CONNECT_VERSION, connect.version());
        if (connect.doc() != null) schema.addProp(CONNECT_DOC, connect.doc());
        if (connect.parameters() != null && !connect.parameters().isEmpty()) {
            schema.addProp(CONNECT_PARAMETERS, connect.parameters());
        }
    }

    /** A valid Avro full name: each dot-separated part made of letters, digits and '_', not starting with a digit. */
    static String avroFullName(String connectName) {
        String[] parts = connectName.split("\\.", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) out.append('.');
            out.append(avroName(parts[i]));
        }
        return out.toString();
    }

    static String avroName(String name) {
        String clean = INVALID_NAME_CHAR.matcher(name).replaceAll("_");
        return clean.isEmpty() || Character.isDigit(clean.charAt(0)) ? "_" + clean : clean;
    }

    private static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    private static String namespace(String fullName) {
        int dot = fullName.lastIndexOf('.');
        return dot < 0 ? null : fullName.substring(0, dot);
    }
}
