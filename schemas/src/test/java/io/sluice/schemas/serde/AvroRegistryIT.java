package io.sluice.schemas.serde;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.registry.Compatibility;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.registry.IncompatibleSchemaException;
import io.sluice.schemas.registry.SchemaNotFoundException;
import io.sluice.schemas.testing.SampleRecords;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The serdes and the registry client against the real registry of the stack (Apicurio, ccompat v7). */
@WithSluiceStack
class AvroRegistryIT {

    private final TestStack stack;
    private final HttpSchemaRegistryClient writerClient;

    AvroRegistryIT(TestStack stack) {
        this.stack = stack;
        this.writerClient = HttpSchemaRegistryClient.create(stack.registryUrl());
    }

    /** A client with empty caches: what a consumer in another process sees. */
    private HttpSchemaRegistryClient freshClient() {
        return HttpSchemaRegistryClient.create(stack.registryUrl());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTopicsKeyAndValueRoundTripThroughTheRegistry() {
        Topics writers = Topics.create(writerClient, true);
        Topics readers = Topics.create(freshClient(), false);
        for (int i = 0; i < writers.all().size(); i++) {
            String name = stack.unique(writers.all().get(i).name());
            Topic<Object, Object> writer = ((Topic<Object, Object>) writers.all().get(i)).withName(name);
            Topic<Object, Object> reader = ((Topic<Object, Object>) readers.all().get(i)).withName(name);
            SampleRecords.Sample sample = SampleRecords.byTopic().get(writers.all().get(i).name());

            byte[] key = writer.keySerde().serializer().serialize(name, sample.key());
            byte[] value = writer.valueSerde().serializer().serialize(name, sample.value());

            assertThat(reader.keySerde().deserializer().deserialize(name, key)).as(name + " key").isEqualTo(sample.key());
            assertThat(reader.valueSerde().deserializer().deserialize(name, value)).as(name + " value").isEqualTo(sample.value());
            // The id in the payload is the one the registry holds for the subject.
            Schema valueSchema = ((org.apache.avro.generic.GenericContainer) sample.value()).getSchema();
            assertThat(ByteBuffer.wrap(value, 1, 4).getInt()).isEqualTo(freshClient().lookup(writer.valueSubject(), valueSchema));
        }
    }

    @Test
    void evolvedReaderReadsDataWrittenWithTheOldSchema() {
        String topic = stack.unique("evolve");
        String subject = topic + "-value";
        writerClient.setCompatibility(subject, Compatibility.BACKWARD);
        Schema current = DidStatus.getClassSchema();
        Schema old = withoutField(current, "last_error");
        GenericRecord written = new GenericData.Record(old);
        written.put("did", "did:plc:old");
        written.put("pds", "https://pds.example.com");
        written.put("state", new GenericData.EnumSymbol(old.getField("state").schema(), "FETCHING"));
        written.put("records", 3L);
        written.put("bytes", 4096L);
        written.put("attempts", 1);
        written.put("dead_lettered", 0L);
        written.put("updated_at", 1_700_000_000_123L);
        written.put("run_id", "r1");
        byte[] oldBytes = new AvroSerializer<GenericRecord>(writerClient, true, false).serialize(topic, written);

        // The evolved schema (last_error added with a default) is accepted under BACKWARD...
        int newId = writerClient.register(subject, current);
        assertThat(newId).isNotEqualTo(ByteBuffer.wrap(oldBytes, 1, 4).getInt());

        // ...and its reader reads the old data, the new field taking its default.
        DidStatus read = new AvroDeserializer<>(freshClient(), DidStatus.class, false).deserialize(topic, oldBytes);
        assertThat(read).isEqualTo(new DidStatus("did:plc:old", "https://pds.example.com", DidState.FETCHING, 3L, 4096L, 1,
                null, Instant.ofEpochMilli(1_700_000_000_123L), "r1", 0L, null));
    }

    @Test
    void incompatibleChangeIsRejectedSayingWhy() {
        String topic = stack.unique("incompatible");
        String subject = topic + "-value";
        writerClient.setCompatibility(subject, Compatibility.BACKWARD);
        Schema v1 = SchemaBuilder.record("Thing").namespace("it").fields().requiredString("name").endRecord();
        Schema v2 = SchemaBuilder.record("Thing").namespace("it").fields().requiredString("name")
                .requiredInt("size").endRecord();
        writerClient.register(subject, v1);

        assertThatThrownBy(() -> writerClient.register(subject, v2))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.subject()).isEqualTo(subject);
                    assertThat(e.registryMessage()).isNotBlank();
                })
                .hasMessageStartingWith("schema is incompatible with the latest schema of subject " + subject + ": ");

        GenericRecord record = new GenericData.Record(v2);
        record.put("name", "n");
        record.put("size", 1);
        assertThatThrownBy(() -> new AvroSerializer<GenericRecord>(freshClient(), true, false).serialize(topic, record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("incompatible with the latest schema of subject " + subject);
    }

    @Test
    void unknownSchemaIdIsAClearError() {
        byte[] payload = {0, 0x7f, 0x00, 0x00, 0x01, 2, 'x'};
        AvroDeserializer<DidWorkItem> deserializer = new AvroDeserializer<>(freshClient(), DidWorkItem.class, false);
        assertThatThrownBy(() -> deserializer.deserialize("dids", payload))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("value of topic dids")
                .hasMessageContaining("schema id 2130706433 not found in registry " + stack.registryUrl());
        assertThatThrownBy(() -> freshClient().schemaById(2130706433)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void payloadWithoutMagicByteIsAClearError() {
        AvroDeserializer<DidWorkItem> deserializer = new AvroDeserializer<>(freshClient(), DidWorkItem.class, false);
        assertThatThrownBy(() -> deserializer.deserialize("dids", "{\"did\":\"did:plc:x\"}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("value of topic dids is not in the Confluent wire format: magic byte 0x7b");
        assertThatThrownBy(() -> deserializer.deserialize("dids", new byte[] {0, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("2 bytes, shorter than the 5-byte header");
    }

    @Test
    void lookupWithAutoRegisterOffFindsOnlyRegisteredSchemas() {
        String topic = stack.unique("strict");
        Topic<String, DidWorkItem> strict = Topics.create(freshClient(), false).backfillDids().withName(topic);
        assertThatThrownBy(() -> strict.valueSerde().serializer().serialize(topic, SampleRecords.didWorkItem()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("is not registered under subject " + topic + "-value");

        int id = writerClient.register(topic + "-value", DidWorkItem.getClassSchema());
        byte[] bytes = Topics.create(freshClient(), false).backfillDids().valueSerde().serializer()
                .serialize(topic, SampleRecords.didWorkItem());
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    }

    @Test
    void serdesConfiguredByPropertiesLikeKafkaDoes() {
        String topic = stack.unique("configured");
        Map<String, Object> props = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl(),
                AvroSerdeConfig.SPECIFIC_READER, "true");
        try (AvroSerde<Object> serde = new AvroSerde<>()) {
            serde.configure(props, false);
            byte[] bytes = serde.serializer().serialize(topic, SampleRecords.didWorkItem());
            assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(SampleRecords.didWorkItem());
        }
        try (AvroSerde<Object> generic = new AvroSerde<>()) {
            generic.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl()), true);
            byte[] bytes = generic.serializer().serialize(topic, "did:plc:key");
            assertThat(generic.deserializer().deserialize(topic, bytes)).isEqualTo("did:plc:key");
        }
    }

    private static Schema withoutField(Schema schema, String dropped) {
        var fields = schema.getFields().stream()
                .filter(f -> !f.name().equals(dropped))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }
}
