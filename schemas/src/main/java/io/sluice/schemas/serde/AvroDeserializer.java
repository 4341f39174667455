package io.sluice.schemas.serde;

import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Reads the Confluent wire format: takes the schema id from the header, fetches that writer
 * schema from the registry (cached) and decodes with Avro schema resolution into the reader's
 * schema, so a reader built from an evolved schema reads data written with an older one.
 *
 * <p>The reader is one of: a generated SpecificRecord class (its schema is the reader schema); a
 * primitive key class (String, Long, ...); generic (GenericRecord, reader schema = the writer's or a
 * given one); or, when created by Kafka from a class name with {@code specific.avro.reader=true},
 * the generated class named by the writer schema. A null or empty payload is null (a tombstone).
 *
 * <p>Errors: a payload not in the wire format, an unknown schema id, a writer schema the reader
 * cannot resolve, or undecodable bytes are a {@link SerializationException} naming the topic and
 * schema id; a registry outage stays a transient {@link SchemaRegistryException}. Thread-safe;
 * DatumReaders are cached per (writer id, reader schema).
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private enum Mode { TYPED, SPECIFIC_BY_WRITER, GENERIC }

    /** What to decode into: the reader schema and the data model that builds the objects. */
    private record Target(Schema schema, GenericData model) { }

    // One instance has one way of choosing the reader schema for a writer schema, so caching per
    // writer id here is caching per (writer id, reader schema).
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();
    private final Map<Class<?>, GenericData> readModels = new ConcurrentHashMap<>();
    private SchemaRegistryClient client;
    private boolean isKey;
    private Mode mode;
    private Class<?> type;
    private Schema readerSchema;

    /** For Kafka to instantiate by class name; {@link #configure} must follow (see {@link AvroSerdeConfig}). */
    public AvroDeserializer() {
    }

    /**
     * A deserializer into {@code type}: a generated SpecificRecord class, or String, Long, Integer,
     * Boolean, Float, Double or byte[].
     */
    public AvroDeserializer(SchemaRegistryClient client, Class<T> type, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.isKey = isKey;
        this.mode = Mode.TYPED;
        this.type = Objects.requireNonNull(type, "type");
        if (SpecificRecord.class.isAssignableFrom(type)) {
            this.readerSchema = SpecificData.getForClass(type).getSchema(type);
        } else {
            this.readerSchema = AvroData.primitiveSchema(type);
        }
    }

    private AvroDeserializer(SchemaRegistryClient client, Schema readerSchema, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.isKey = isKey;
        this.mode = Mode.GENERIC;
        this.readerSchema = readerSchema;
    }

    /**
     * A generic deserializer: records come back as GenericRecord (strings inside as Utf8, logical
     * types as their underlying long/int), a top-level string as String.
     *
     * @param readerSchema the schema to resolve into, or null to read with the writer's schema
     */
    public static <T> AvroDeserializer<T> generic(SchemaRegistryClient client, Schema readerSchema, boolean isKey) {
        return new AvroDeserializer<>(client, readerSchema, isKey);
    }

    /** Configures an instance Kafka created by class name; one constructed with a client ignores this. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client != null) return;
        AvroSerdeConfig config = AvroSerdeConfig.fromMap(configs);
        this.client = HttpSchemaRegistryClient.create(config.registry());
        this.isKey = isKey;
        this.mode = config.specificReader() ? Mode.SPECIFIC_BY_WRITER : Mode.GENERIC;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null || data.length == 0) return null;
        if (client == null) throw new IllegalStateException("AvroDeserializer used before configure()");
        int id = WireFormat.schemaId(data, topic, isKey);
        Schema writer = writerSchema(id, topic);
        DatumReader<Object> reader = reader(id, writer, topic);
        try {
            int length = data.length - WireFormat.HEADER_SIZE;
            Object value = reader.read(null, new BoundedDecoder(DecoderFactory.get()
                    .binaryDecoder(data, WireFormat.HEADER_SIZE, length, null), length));
            return (T) AvroData.fromAvro(value);
        } catch (IOException | RuntimeException e) {
            // Corrupt bytes surface from Avro as EOF, negative lengths, bad indexes and the like.
            throw new SerializationException("cannot decode the " + WireFormat.what(topic, isKey) + " written with schema id "
                    + id + " (" + writer.getFullName() + "): " + e, e);
        }
    }

    private Schema writerSchema(int id, String topic) {
        try {
            return client.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isTransient()) throw e;
            throw new SerializationException("cannot deserialize the " + WireFormat.what(topic, isKey) + ": "
                    + e.getMessage(), e);
        }
    }

    private DatumReader<Object> reader(int id, Schema writer, String topic) {
        DatumReader<Object> cached = readers.get(id);
        if (cached != null) return cached;
        return readers.computeIfAbsent(id, k -> newReader(id, writer, target(writer, topic), topic));
    }

    private Target target(Schema writer, String topic) {
        return switch (mode) {
            case TYPED -> new Target(readerSchema, readModelFor(type));
            case GENERIC -> new Target(readerSchema != null ? readerSchema : writer, GenericData.get());
            case SPECIFIC_BY_WRITER -> {
                if (writer.getType() != Schema.Type.RECORD) yield new Target(writer, GenericData.get());
                Class<?> generated = SpecificData.get().getClass(writer);
                if (generated == null || !SpecificRecord.class.isAssignableFrom(generated)) {
                    throw new SerializationException("cannot deserialize the " + WireFormat.what(topic, isKey)
                            + " into a specific record: no generated class " + writer.getFullName()
                            + " on the classpath (set " + AvroSerdeConfig.SPECIFIC_READER + "=false for GenericRecord)");
                }
                yield new Target(SpecificData.getForClass(generated).getSchema(generated), readModelFor(generated));
            }
        };
    }

    private GenericData readModelFor(Class<?> type) {
        if (!SpecificRecord.class.isAssignableFrom(type)) return GenericData.get();
        return readModels.computeIfAbsent(type, ListSpecificData::forClass);
    }

    @SuppressWarnings("unchecked")
    private DatumReader<Object> newReader(int id, Schema writer, Target target, String topic) {
        SchemaCompatibility.SchemaPairCompatibility check =
                SchemaCompatibility.checkReaderWriterCompatibility(target.schema(), writer);
        if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            String why = check.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
                    .collect(Collectors.joining("; "));
            throw new SerializationException("the " + WireFormat.what(topic, isKey) + " was written with schema id " + id
                    + " (" + writer.getFullName() + "), which reader schema " + target.schema().getFullName()
                    + " cannot read: " + why);
        }
        // Data written with the reader's own schema (the usual case) needs no resolution: the compiled
        // reader builds the same objects at a fraction of the CPU, when the schema allows one.
        if (target.model() instanceof SpecificData specific && writer.equals(target.schema())) {
            DatumReader<Object> compiled = CompiledSpecific.reader(writer, specific);
            if (compiled != null) return compiled;
        }
        return target.model().createDatumReader(writer, target.schema());
    }
}
