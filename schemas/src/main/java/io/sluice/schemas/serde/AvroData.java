package io.sluice.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Which Avro schema and data model a Java value is written and read with: generated
 * SpecificRecord classes, GenericRecords, and the primitives sluice uses as keys (String, Long),
 * which are encoded as Avro too so every key is registry-described.
 */
final class AvroData {

    private static final Map<Class<?>, Schema.Type> PRIMITIVES = Map.of(
            String.class, Schema.Type.STRING,
            Long.class, Schema.Type.LONG,
            Integer.class, Schema.Type.INT,
            Boolean.class, Schema.Type.BOOLEAN,
            Float.class, Schema.Type.FLOAT,
            Double.class, Schema.Type.DOUBLE,
            byte[].class, Schema.Type.BYTES);

    /** One schema per primitive, built once: a key is serialized per record, and Schema.create allocates. */
    private static final Map<Class<?>, Schema> PRIMITIVE_SCHEMAS = PRIMITIVES.entrySet().stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> Schema.create(e.getValue())));

    static final String SUPPORTED = "SpecificRecord, GenericRecord, String, Long, Integer, Boolean, Float, Double, byte[]";

    private AvroData() {
    }

    static boolean isPrimitive(Class<?> type) {
        return PRIMITIVES.containsKey(type);
    }

    /** The schema of a primitive class, e.g. {@code "string"} for String. */
    static Schema primitiveSchema(Class<?> type) {
        Schema.Type avroType = PRIMITIVES.get(type);
        if (avroType == null) {
            throw new IllegalArgumentException("not an Avro primitive class: " + type.getName() + "; supported: " + SUPPORTED);
        }
        return Schema.create(avroType);
    }

    /** The schema a value is written with. */
    static Schema schemaOf(Object value, String what) {
        if (value instanceof GenericContainer container) return container.getSchema();
        Schema schema = PRIMITIVE_SCHEMAS.get(value.getClass());
        if (schema == null) {
            throw new SerializationException("cannot serialize the " + what + " as Avro: " + value.getClass().getName()
                    + " is not one of the supported types: " + SUPPORTED);
        }
        return schema;
    }

    /** The data model for a Java class: the generated class's own (with its logical-type conversions) or generic. */
    static GenericData modelFor(Class<?> type) {
        return SpecificRecord.class.isAssignableFrom(type) ? SpecificData.getForClass(type) : GenericData.get();
    }

    /** What Avro's writers expect for a value: bytes as a ByteBuffer. */
    static Object toAvro(Object value) {
        return value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : value;
    }

    /** What a caller expects back at the top level: String for Avro strings, byte[] for bytes. */
    static Object fromAvro(Object value) {
        if (value instanceof Utf8 utf8) return utf8.toString();
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return value;
    }
}
