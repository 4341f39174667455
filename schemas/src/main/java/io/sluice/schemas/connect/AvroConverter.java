package io.sluice.schemas.connect;

import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryClient;
import io.sluice.schemas.registry.SchemaRegistryException;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.serde.WireEncoder;
import io.sluice.schemas.serde.WireFormat;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.storage.Converter;

import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A Kafka Connect {@link Converter} writing Avro in the Confluent wire format through sluice's own
 * registry client: what the Debezium connector in the Connect worker is configured with
 * ({@code key.converter=io.sluice.schemas.connect.AvroConverter}, {@code *.converter.schema.registry.url}),
 * and what sluice's embedded CDC publisher uses, so both write byte-identical records.
 *
 * <p>Consumes Connect schemas and values; produces magic byte 0, the 4-byte id of the schema
 * registered under {@code <topic>-key} or {@code <topic>-value}, and the Avro binary datum. Reads
 * them back into Connect data (for sink connectors and tests). A null value is a tombstone both
 * ways. The Connect → Avro schema mapping is {@link ConnectAvroSchemas}'s.
 *
 * <p>Settings: {@value AvroSerdeConfig#SCHEMA_REGISTRY_URL} (required), the registry auth and TLS keys
 * ({@code basic.auth.*}, {@code bearer.auth.*}, {@code schema.registry.ssl.*}, as Confluent's) and
 * {@value AvroSerdeConfig#AUTO_REGISTER} (default true). Errors: data that does not fit its schema,
 * a schema the registry refuses, or bytes not in the wire format are a {@link DataException}; a
 * registry outage stays the transient {@link SchemaRegistryException}, which Connect retries.
 * Thread-safe.
 */
public class AvroConverter implements Converter {

    private static final int SCHEMA_CACHE_LIMIT = 1_000;

    // Debezium reuses one Connect schema instance per collection, so identity lookups hit almost always
    // and avoid hashing the whole schema per record.
    private final Map<org.apache.kafka.connect.data.Schema, Schema> avroSchemas = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Map<Integer, org.apache.kafka.connect.data.Schema> connectSchemas = new ConcurrentHashMap<>();
    private final WireEncoder bytes = new WireEncoder();
    private SchemaRegistryClient client;
    private boolean autoRegister;
    private boolean isKey;

    /** For Connect to instantiate by class name; {@link #configure} must follow. */
    public AvroConverter() {
    }

    /** A converter over a given registry client, e.g. an in-memory one in tests. */
    public AvroConverter(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
        this.client = Objects.requireNonNull(client, "client");
        this.autoRegister = autoRegister;
        this.isKey = isKey;
    }

    /** Configures an instance Connect created by class name; one constructed with a client keeps it. */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        if (client != null) return;
        AvroSerdeConfig config = AvroSerdeConfig.fromMap(configs);
        this.client = HttpSchemaRegistryClient.create(config.registry());
        this.autoRegister = config.autoRegister();
    }

    @Override
    public byte[] fromConnectData(String topic, org.apache.kafka.connect.data.Schema schema, Object value) {
        if (value == null) return null;
        if (schema == null) {
            throw new DataException("the " + what(topic) + " has no Connect schema; AvroConverter needs one"
                    + " (a source connector that writes schemaless data needs another converter)");
        }
        ensureConfigured();
        Schema avro = avroSchema(schema);
        Object datum;
        try {
            datum = ConnectAvroValues.toAvro(schema, value, avro);
        } catch (ClassCastException e) {
            throw new DataException("the " + what(topic) + " does not fit its Connect schema " + schema + ": " + e.getMessage(), e);
        }
        int id = schemaId(topic, avro);
        try {
            return bytes.encode(id, new GenericDatumWriter<>(avro, GenericData.get()), datum);
        } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
            throw new DataException("cannot encode the " + what(topic) + " with Avro schema " + avro.getFullName() + ": " + e, e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null || value.length == 0) return SchemaAndValue.NULL;
        ensureConfigured();
        int id;
        Schema writer;
        try {
            id = WireFormat.schemaId(value, topic, isKey);
            writer = client.schemaById(id);
        } catch (SerializationException e) {
            throw new DataException(e.getMessage(), e);
        } catch (SchemaRegistryException e) {
            if (e.isTransient()) throw e;
            throw new DataException("cannot read the " + what(topic) + ": " + e.getMessage(), e);
        }
        org.apache.kafka.connect.data.Schema connect = connectSchemas.computeIfAbsent(id, k -> AvroToConnectSchemas.toConnect(writer));
        try {
            Object datum = new GenericDatumReader<>(writer, writer, GenericData.get()).read(null,
                    DecoderFactory.get().binaryDecoder(value, WireFormat.HEADER_SIZE, value.length - WireFormat.HEADER_SIZE, null));
            return new SchemaAndValue(connect, ConnectAvroValues.toConnect(connect, datum, writer));
        } catch (IOException | RuntimeException e) {
            throw new DataException("cannot decode the " + what(topic) + " written with schema id " + id + ": " + e, e);
        }
    }

    /** The Avro schema this converter writes values of {@code connect} with. */
    public Schema avroSchema(org.apache.kafka.connect.data.Schema connect) {
        Schema cached = avroSchemas.get(connect);
        if (cached != null) return cached;
        Schema avro = ConnectAvroSchemas.toAvro(connect);
        if (avroSchemas.size() >= SCHEMA_CACHE_LIMIT) avroSchemas.clear();
        avroSchemas.put(connect, avro);
        return avro;
    }

    private int schemaId(String topic, Schema avro) {
        String subject = topic + (isKey ? "-key" : "-value");
        try {
            return autoRegister ? client.register(subject, avro) : client.lookup(subject, avro);
        } catch (SchemaRegistryException e) {
            if (e.isTransient()) throw e;
            throw new DataException("cannot write the " + what(topic) + ": " + e.getMessage(), e);
        }
    }

    private void ensureConfigured() {
        if (client == null) throw new IllegalStateException("AvroConverter used before configure()");
    }

    private String what(String topic) {
        return (isKey ? "key" : "value") + " of topic " + topic;
    }
}
