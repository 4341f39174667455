package io.sluice.schemas.connect;

import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.util.List;
import java.util.Map;

import static io.sluice.schemas.connect.ConnectAvroSchemas.CONNECT_DOC;
import static io.sluice.schemas.connect.ConnectAvroSchemas.CONNECT_NAME;
import static io.sluice.schemas.connect.ConnectAvroSchemas.CONNECT_PARAMETERS;
import static io.sluice.schemas.connect.ConnectAvroSchemas.CONNECT_TYPE;
import static io.sluice.schemas.connect.ConnectAvroSchemas.CONNECT_VERSION;

/**
 * Maps an Avro schema read from the registry back to a Kafka Connect schema: the inverse of
 * {@link ConnectAvroSchemas}, restoring Connect names, versions, parameters and int8/int16 from the
 * {@code connect.*} properties, and reading plain Avro schemas (written by other tools) too. Avro
 * enums become strings, fixed become bytes; unions other than {@code [null, T]} are refused with a
 * {@link DataException}, as Connect has no union type.
 */
final class AvroToConnectSchemas {

    private AvroToConnectSchemas() {
    }

    static org.apache.kafka.connect.data.Schema toConnect(Schema avro) {
        return builder(avro, false, null).build();
    }

    private static SchemaBuilder builder(Schema avro, boolean optional, Object avroDefault) {
        if (avro.getType() == Schema.Type.UNION) {
            return builder(nonNullBranch(avro), true, avroDefault);
        }
        SchemaBuilder b = base(avro);
        if (avro.getType() != Schema.Type.RECORD) {
            String name = avro.getProp(CONNECT_NAME);
            if (name != null && b.name() == null) b.name(name);
            if (avro.getProp(CONNECT_DOC) != null) b.doc(avro.getProp(CONNECT_DOC));
        }
        Object version = avro.getObjectProp(CONNECT_VERSION);
        if (version instanceof Number n && b.version() == null) b.version(n.intValue());
        if (avro.getObjectProp(CONNECT_PARAMETERS) instanceof Map<?, ?> params) {
            params.forEach((k, v) -> b.parameter(k.toString(), v.toString()));
        }
        if (optional) b.optional();
        if (avroDefault != null && avroDefault != JsonProperties.NULL_VALUE) b.defaultValue(ConnectAvroValues.defaultFromJson(b.build(), avroDefault));
        return b;
    }

    private static SchemaBuilder base(Schema avro) {
        LogicalType logical = avro.getLogicalType();
        if (logical instanceof LogicalTypes.Decimal d) {
            SchemaBuilder b = Decimal.builder(d.getScale());
            // Written by another tool (no connect.parameters): keep the precision Connect has no field for.
            if (avro.getObjectProp(CONNECT_PARAMETERS) == null) {
                b.parameter(ConnectAvroSchemas.DECIMAL_PRECISION, Integer.toString(d.getPrecision()));
            }
            return b;
        }
        if (logical instanceof LogicalTypes.Date) return Date.builder();
        if (logical instanceof LogicalTypes.TimeMillis) return Time.builder();
        if (logical instanceof LogicalTypes.TimestampMillis) return Timestamp.builder();
        return switch (avro.getType()) {
            case INT -> switch (String.valueOf(avro.getProp(CONNECT_TYPE))) {
                case "int8" -> SchemaBuilder.int8();
                case "int16" -> SchemaBuilder.int16();
                default -> SchemaBuilder.int32();
            };
            case LONG -> SchemaBuilder.int64();
            case FLOAT -> SchemaBuilder.float32();
            case DOUBLE -> SchemaBuilder.float64();
            case BOOLEAN -> SchemaBuilder.bool();
            case STRING, ENUM -> SchemaBuilder.string();
            case BYTES, FIXED -> SchemaBuilder.bytes();
            case ARRAY -> isMapEntries(avro)
                    ? SchemaBuilder.map(toConnect(avro.getElementType().getField("key").schema()),
                    toConnect(avro.getElementType().getField("value").schema()))
                    : SchemaBuilder.array(toConnect(avro.getElementType()));
            case MAP -> SchemaBuilder.map(org.apache.kafka.connect.data.Schema.STRING_SCHEMA, toConnect(avro.getValueType()));
            case RECORD -> record(avro);
            case NULL, UNION -> throw new DataException("Avro type " + avro.getType() + " has no Kafka Connect equivalent here");
        };
    }

    private static SchemaBuilder record(Schema avro) {
        String name = avro.getProp(CONNECT_NAME) != null ? avro.getProp(CONNECT_NAME) : avro.getFullName();
        SchemaBuilder b = SchemaBuilder.struct();
        // ConnectAvroSchemas names unnamed structs ConnectDefaultN; they were unnamed in Connect.
        if (!name.startsWith(ConnectAvroSchemas.DEFAULT_NAMESPACE + ".ConnectDefault")) b.name(name);
        if (avro.getDoc() != null) b.doc(avro.getDoc());
        for (Schema.Field f : avro.getFields()) {
            SchemaBuilder field = builder(f.schema(), false, f.hasDefaultValue() ? f.defaultVal() : null);
            if (f.doc() != null) field.doc(f.doc());
            b.field(f.name(), field.build());
        }
        return b;
    }

    static boolean isMapEntries(Schema array) {
        Schema element = array.getElementType();
        return element.getType() == Schema.Type.RECORD && element.getName().startsWith("MapEntry")
                && ConnectAvroSchemas.DEFAULT_NAMESPACE.equals(element.getNamespace()) && element.getFields().size() == 2;
    }

    static Schema nonNullBranch(Schema union) {
        List<Schema> types = union.getTypes();
        if (types.size() == 2 && types.get(0).getType() == Schema.Type.NULL) return types.get(1);
        if (types.size() == 2 && types.get(1).getType() == Schema.Type.NULL) return types.get(0);
        throw new DataException("Avro union " + union + " has no Kafka Connect equivalent: only [null, T] unions map to optional T");
    }
}
