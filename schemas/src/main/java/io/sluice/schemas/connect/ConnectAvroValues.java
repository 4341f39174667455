package io.sluice.schemas.connect;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts values between Kafka Connect's data model (Struct, List, Map, boxed primitives,
 * java.util.Date for the time types, BigDecimal) and Avro's generic one (GenericRecord, Integer for
 * int8/int16/date/time, Long for timestamps, ByteBuffer for bytes and decimals), along the schema
 * mapping of {@link ConnectAvroSchemas}. A value that does not fit its schema is a {@link DataException}.
 */
final class ConnectAvroValues {

    private ConnectAvroValues() {
    }

    /** The Avro datum of a Connect value; {@code avro} may be the [null, T] union of an optional schema. */
    static Object toAvro(org.apache.kafka.connect.data.Schema connect, Object value, Schema avro) {
        if (value == null) {
            if (!connect.isOptional() && connect.defaultValue() == null) {
                throw new DataException("null value for the required Connect schema " + describe(connect));
            }
            return connect.isOptional() ? null : toAvro(connect, connect.defaultValue(), avro);
        }
        Schema target = avro.getType() == Schema.Type.UNION ? AvroToConnectSchemas.nonNullBranch(avro) : avro;
        String logical = connect.name();
        return switch (connect.type()) {
            case INT8, INT16 -> ((Number) value).intValue();
            case INT32 -> Date.LOGICAL_NAME.equals(logical) ? Date.fromLogical(connect, (java.util.Date) value)
                    : Time.LOGICAL_NAME.equals(logical) ? Time.fromLogical(connect, (java.util.Date) value) : value;
            case INT64 -> Timestamp.LOGICAL_NAME.equals(logical) ? Timestamp.fromLogical(connect, (java.util.Date) value) : value;
            case FLOAT32, FLOAT64, BOOLEAN, STRING -> value;
            case BYTES -> Decimal.LOGICAL_NAME.equals(logical) ? ByteBuffer.wrap(Decimal.fromLogical(connect, (BigDecimal) value))
                    : value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (Collection<?>) value) out.add(toAvro(connect.valueSchema(), element, target.getElementType()));
                yield out;
            }
            case MAP -> map(connect, (Map<?, ?>) value, target);
            case STRUCT -> record((Struct) value, target);
        };
    }

    private static Object map(org.apache.kafka.connect.data.Schema connect, Map<?, ?> value, Schema target) {
        if (target.getType() == Schema.Type.MAP) {
            Map<String, Object> out = new LinkedHashMap<>();
            value.forEach((k, v) -> out.put((String) k, toAvro(connect.valueSchema(), v, target.getValueType())));
            return out;
        }
        Schema entry = target.getElementType();
        List<Object> out = new ArrayList<>();
        value.forEach((k, v) -> {
            GenericRecord r = new GenericData.Record(entry);
            r.put("key", toAvro(connect.keySchema(), k, entry.getField("key").schema()));
            r.put("value", toAvro(connect.valueSchema(), v, entry.getField("value").schema()));
            out.add(r);
        });
        return out;
    }

    // Struct.get gives a field's default for a null, as Confluent's converter writes it.
    private static GenericRecord record(Struct struct, Schema target) {
        GenericRecord out = new GenericData.Record(target);
        for (Field f : struct.schema().fields()) {
            Schema.Field avroField = target.getField(ConnectAvroSchemas.avroName(f.name()));
            out.put(avroField.pos(), toAvro(f.schema(), struct.get(f), avroField.schema()));
        }
        return out;
    }

    /** The Connect value of an Avro datum read with {@code avro}, the schema {@code connect} was derived from. */
    static Object toConnect(org.apache.kafka.connect.data.Schema connect, Object datum, Schema avro) {
        if (datum == null) return null;
        Schema source = avro.getType() == Schema.Type.UNION ? AvroToConnectSchemas.nonNullBranch(avro) : avro;
        String logical = connect.name();
        return switch (connect.type()) {
            case INT8 -> ((Number) datum).byteValue();
            case INT16 -> ((Number) datum).shortValue();
            case INT32 -> Date.LOGICAL_NAME.equals(logical) ? Date.toLogical(connect, (Integer) datum)
                    : Time.LOGICAL_NAME.equals(logical) ? Time.toLogical(connect, (Integer) datum) : datum;
            case INT64 -> Timestamp.LOGICAL_NAME.equals(logical) ? Timestamp.toLogical(connect, (Long) datum) : datum;
            case FLOAT32, FLOAT64, BOOLEAN -> datum;
            case STRING -> datum.toString();
            case BYTES -> {
                byte[] bytes = bytes(datum);
                yield Decimal.LOGICAL_NAME.equals(logical) ? Decimal.toLogical(connect, bytes) : bytes;
            }
            case ARRAY -> {
                List<Object> out = new ArrayList<>();
                for (Object element : (Collection<?>) datum) out.add(toConnect(connect.valueSchema(), element, source.getElementType()));
                yield out;
            }
            case MAP -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                if (source.getType() == Schema.Type.MAP) {
                    ((Map<?, ?>) datum).forEach((k, v) -> out.put(k.toString(), toConnect(connect.valueSchema(), v, source.getValueType())));
                } else {
                    Schema entry = source.getElementType();
                    for (Object e : (Collection<?>) datum) {
                        GenericRecord r = (GenericRecord) e;
                        out.put(toConnect(connect.keySchema(), r.get("key"), entry.getField("key").schema()),
                                toConnect(connect.valueSchema(), r.get("value"), entry.getField("value").schema()));
                    }
                }
                yield out;
            }
            case STRUCT -> {
                GenericRecord r = (GenericRecord) datum;
                Struct out = new Struct(connect);
                for (Field f : connect.fields()) {
                    Schema.Field avroField = source.getField(f.name());
                    out.put(f, toConnect(f.schema(), r.get(avroField.pos()), avroField.schema()));
                }
                yield out;
            }
        };
    }

    /** A Connect default as the Java value Avro accepts for a field default (JSON-like). */
    static Object defaultToJson(org.apache.kafka.connect.data.Schema connect, Object value) {
        Object avro = toAvro(connect, value, ConnectAvroSchemas.toAvro(connect));
        return jsonLike(avro);
    }

    private static Object jsonLike(Object avro) {
        if (avro instanceof ByteBuffer buffer) return bytes(buffer);
        if (avro instanceof GenericRecord r) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Schema.Field f : r.getSchema().getFields()) out.put(f.name(), jsonLike(r.get(f.pos())));
            return out;
        }
        if (avro instanceof List<?> list) return list.stream().map(ConnectAvroValues::jsonLike).toList();
        if (avro instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k.toString(), jsonLike(v)));
            return out;
        }
        return avro;
    }

    /** An Avro field default (as {@code Schema.Field.defaultVal()} gives it) as a Connect value. */
    static Object defaultFromJson(org.apache.kafka.connect.data.Schema connect, Object json) {
        return switch (connect.type()) {
            case INT8 -> ((Number) json).byteValue();
            case INT16 -> ((Number) json).shortValue();
            case INT32 -> toConnect(connect, ((Number) json).intValue(), ConnectAvroSchemas.toAvro(connect));
            case INT64 -> toConnect(connect, ((Number) json).longValue(), ConnectAvroSchemas.toAvro(connect));
            case FLOAT32 -> ((Number) json).floatValue();
            case FLOAT64 -> ((Number) json).doubleValue();
            case BOOLEAN, STRING -> json instanceof CharSequence cs ? cs.toString() : json;
            case BYTES -> toConnect(connect, json, ConnectAvroSchemas.toAvro(connect));
            case ARRAY -> ((Collection<?>) json).stream().map(e -> defaultFromJson(connect.valueSchema(), e)).toList();
            case MAP -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                ((Map<?, ?>) json).forEach((k, v) -> out.put(k.toString(), defaultFromJson(connect.valueSchema(), v)));
                yield out;
            }
            case STRUCT -> {
                Struct out = new Struct(connect);
                Map<?, ?> map = (Map<?, ?>) json;
                for (Field f : connect.fields()) {
                    Object v = map.get(f.name());
                    out.put(f, v == null ? null : defaultFromJson(f.schema(), v));
                }
                yield out;
            }
        };
    }

    private static byte[] bytes(Object datum) {
        if (datum instanceof byte[] b) return b;
        ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static String describe(org.apache.kafka.connect.data.Schema connect) {
        return connect.name() != null ? connect.name() + " (" + connect.type() + ")" : connect.type().toString();
    }
}
