package io.sluice.schemas.serde;

import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryException;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes SpecificRecords, GenericRecords and primitive keys (String, Long, ...) in the Confluent
 * wire format, under subject {@code <topic>-key} or {@code <topic>-value}. The schema is registered
 * on first use (auto-register on) or must already be registered (off); either way the id is cached.
 * A null value stays null (a tombstone).
 *
 * <p>Errors: a schema the registry refuses (incompatible, not registered, invalid) or a value that
 * does not fit its schema is a {@link SerializationException}; a registry outage stays a transient
 * {@link SchemaRegistryException}, so callers do not mistake it for bad data. Thread-safe.
 */
public class AvroSerializer<T> implements Serializer<T> {

    private record WriterKey(Class<?> type, Schema schema) { }

    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final WireEncoder bytes = new WireEncoder();
    private SchemaRegistryClient client;
    private boolean autoRegister;
    private boolean isKey;

    /** For Kafka to instantiate by class name; {@link #configure} must follow (see {@link AvroSerdeConfig}). */
    public AvroSerializer() {
    }

    public AvroSerializer(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    /** Configures an instance Kafka created by class name; one constructed with a client ignores this. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (client != null) return;
        AvroSerdeConfig config = AvroSerdeConfig.fromMap(configs);
        this.client = HttpSchemaRegistryClient.create(config.registry());
        this.autoRegister = config.autoRegister();
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) return null;
        if (client == null) throw new IllegalStateException("AvroSerializer used before configure()");
        String what = WireFormat.what(topic, isKey);
        Schema schema = AvroData.schemaOf(data, what);
        int id = schemaId(topic, schema, what);
        try {
            return bytes.encode(id, writer(data.getClass(), schema), AvroData.toAvro(data));
        } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            // Avro reports a missing required field as an NPE and a wrong Java type as a CCE.
            throw new SerializationException("cannot encode the " + what + " with schema " + schema.getFullName()
                    + " (id " + id + "): " + e.getMessage(), e);
        }
    }

    private int schemaId(String topic, Schema schema, String what) {
        String subject = topic + (isKey ? "-key" : "-value");
        try {
            return autoRegister ? client.register(subject, schema) : client.lookup(subject, schema);
        } catch (SchemaRegistryException e) {
            if (e.isTransient()) throw e;
            throw new SerializationException("cannot serialize the " + what + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private DatumWriter<Object> writer(Class<?> type, Schema schema) {
        return writers.computeIfAbsent(new WriterKey(type, schema), k -> newWriter(type, schema));
    }

    /** For a generated class, the compiled writer when its schema allows one: same bytes, a fraction of the CPU. */
    @SuppressWarnings("unchecked")
    private static DatumWriter<Object> newWriter(Class<?> type, Schema schema) {
        GenericData model = AvroData.modelFor(type);
        if (model instanceof SpecificData specific) {
            DatumWriter<Object> compiled = CompiledSpecific.writer(schema, specific);
            if (compiled != null) return compiled;
        }
        return model.createDatumWriter(schema);
    }
}
