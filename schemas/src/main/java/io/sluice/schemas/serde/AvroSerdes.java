package io.sluice.schemas.serde;

import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

import java.util.Objects;

/**
 * Makes Confluent-wire-format Avro serdes that share one registry client (and so its caches).
 * Kafka Streams never calls {@code configure} on serde instances passed to it, which is why the
 * key/value role is fixed here, at creation.
 */
public final class AvroSerdes {

    private final SchemaRegistryClient client;
    private final boolean autoRegister;

    /**
     * @param autoRegister register schemas on first write; when false they must already be
     *                     registered (a deployment step), and writes of unknown schemas fail
     */
    public AvroSerdes(SchemaRegistryClient client, boolean autoRegister) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
    }

    /** Serdes over an HTTP client for the registry configured in {@code config}. */
    public static AvroSerdes fromConfig(AvroSerdeConfig config) {
        return new AvroSerdes(HttpSchemaRegistryClient.create(config.registry()), config.autoRegister());
    }

    public SchemaRegistryClient client() {
        return client;
    }

    public boolean autoRegister() {
        return autoRegister;
    }

    /** Values of a generated record class; reads older data through schema resolution. */
    public <T extends SpecificRecord> Serde<T> specificValue(Class<T> type) {
        return typed(type, false);
    }

    /** Keys of a generated record class. */
    public <T extends SpecificRecord> Serde<T> specificKey(Class<T> type) {
        return typed(type, true);
    }

    /** String keys, written as Avro {@code "string"} under {@code <topic>-key}. */
    public Serde<String> stringKey() {
        return typed(String.class, true);
    }

    /** Long keys, written as Avro {@code "long"} under {@code <topic>-key}. */
    public Serde<Long> longKey() {
        return typed(Long.class, true);
    }

    /**
     * Keys or values of a generated record class or a primitive (String, Long, Integer, Boolean,
     * Float, Double, byte[]).
     */
    public <T> Serde<T> typed(Class<T> type, boolean isKey) {
        return new AvroSerde<>(new AvroSerializer<>(client, autoRegister, isKey), new AvroDeserializer<>(client, type, isKey));
    }

    /** GenericRecord values read with the writer's schema. */
    public Serde<GenericRecord> genericValue() {
        return generic(null, false);
    }

    /**
     * Generic keys or values.
     *
     * @param readerSchema the schema to resolve into on reads, or null for the writer's own
     */
    public <T> Serde<T> generic(Schema readerSchema, boolean isKey) {
        return new AvroSerde<>(new AvroSerializer<>(client, autoRegister, isKey),
                AvroDeserializer.generic(client, readerSchema, isKey));
    }
}
