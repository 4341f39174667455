package io.sluice.schemas.serde;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import io.sluice.schemas.testing.SampleRecords;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroSerdeTest {

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final Topics topics = Topics.create(registry, true);

    @Test
    @SuppressWarnings("unchecked")
    void everyTopicsKeyAndValueRoundTrip() {
        assertThat(topics.all()).hasSize(10);
        for (Topic<?, ?> t : topics.all()) {
            SampleRecords.Sample sample = SampleRecords.byTopic().get(t.name());
            assertThat(sample).as("sample for %s", t.name()).isNotNull();
            Topic<Object, Object> topic = (Topic<Object, Object>) t;
            byte[] key = topic.keySerde().serializer().serialize(topic.name(), sample.key());
            byte[] value = topic.valueSerde().serializer().serialize(topic.name(), sample.value());
            assertThat(value[0]).isZero();
            assertThat(topic.keySerde().deserializer().deserialize(topic.name(), key)).isEqualTo(sample.key());
            assertThat(topic.valueSerde().deserializer().deserialize(topic.name(), value)).isEqualTo(sample.value());
            assertThat(registry.versions(topic.keySubject())).hasSize(1);
            assertThat(registry.versions(topic.valueSubject())).hasSize(1);
        }
    }

    @Test
    void primitiveKeysAreAvroEncoded() {
        byte[] key = topics.backfillDids().keySerde().serializer().serialize("t", "abc");
        int id = registry.lookup("t-key", Schema.create(Schema.Type.STRING));
        // header, then Avro string: zig-zag length 3 (=6), then the UTF-8 bytes
        assertThat(key).containsExactly(0, 0, 0, 0, id, 6, 'a', 'b', 'c');

        byte[] longKey = topics.etlUserRows().keySerde().serializer().serialize("u", 42L);
        assertThat(Arrays.copyOfRange(longKey, 5, longKey.length)).containsExactly(84); // zig-zag 42
        assertThat(topics.etlUserRows().keySerde().deserializer().deserialize("u", longKey)).isEqualTo(42L);
    }

    @Test
    void nullIsATombstoneBothWays() {
        Serde<DidWorkItem> serde = topics.backfillDids().valueSerde();
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void evolvedSpecificReaderReadsDataWrittenWithOlderSchema() {
        // The "old" DidStatus: without last_error, which the current schema adds with default null.
        Schema current = DidStatus.getClassSchema();
        Schema old = withoutField(current, "last_error");
        GenericRecord written = new GenericData.Record(old);
        written.put("did", "did:plc:x");
        written.put("pds", null);
        written.put("state", new GenericData.EnumSymbol(old.getField("state").schema(), "DONE"));
        written.put("records", 10L);
        written.put("bytes", 20L);
        written.put("attempts", 1);
        written.put("updated_at", 1_700_000_000_000L);
        written.put("run_id", "r");
        written.put("dead_lettered", 0L);
        byte[] bytes = new AvroSerializer<GenericRecord>(registry, true, false).serialize("status", written);

        DidStatus read = new AvroDeserializer<>(registry, DidStatus.class, false).deserialize("status", bytes);

        assertThat(read.getDid()).isEqualTo("did:plc:x");
        assertThat(read.getState()).isEqualTo(DidState.DONE);
        assertThat(read.getRecords()).isEqualTo(10L);
        assertThat(read.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(read.getLastError()).isNull();
    }

    @Test
    void genericReaderWithEvolvedSchemaFillsDefaults() {
        Schema v1 = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name").endRecord();
        Schema v2 = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name")
                .name("size").type().intType().intDefault(7).endRecord();
        GenericRecord record = new GenericData.Record(v1);
        record.put("name", "a");
        byte[] bytes = new AvroSerializer<GenericRecord>(registry, true, false).serialize("things", record);

        GenericRecord read = AvroDeserializer.<GenericRecord>generic(registry, v2, false).deserialize("things", bytes);
        assertThat(read.get("name").toString()).isEqualTo("a");
        assertThat(read.get("size")).isEqualTo(7);

        GenericRecord asWritten = AvroDeserializer.<GenericRecord>generic(registry, null, false).deserialize("things", bytes);
        assertThat(asWritten.getSchema()).isEqualTo(v1);
    }

    @Test
    void readerThatCannotResolveTheWriterSaysWhy() {
        Schema v1 = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name").endRecord();
        Schema needsSize = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name")
                .requiredInt("size").endRecord();
        GenericRecord record = new GenericData.Record(v1);
        record.put("name", "a");
        byte[] bytes = new AvroSerializer<GenericRecord>(registry, true, false).serialize("things", record);

        assertThatThrownBy(() -> AvroDeserializer.generic(registry, needsSize, false).deserialize("things", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("value of topic things")
                .hasMessageContaining("cannot read")
                .hasMessageContaining("size");
    }

    @Test
    void incompatibleSchemaRefusedByRegistryIsASerializationException() {
        Schema v1 = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name").endRecord();
        Schema v2 = SchemaBuilder.record("Thing").namespace("t").fields().requiredString("name")
                .requiredInt("size").endRecord();
        registry.register("things-value", v1);
        GenericRecord record = new GenericData.Record(v2);
        record.put("name", "a");
        record.put("size", 1);
        assertThatThrownBy(() -> new AvroSerializer<GenericRecord>(registry, true, false).serialize("things", record))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("incompatible with the latest schema of subject things-value");
    }

    @Test
    void autoRegisterOffNeedsARegisteredSchema() {
        Topics strict = Topics.create(registry, false);
        var serializer = strict.backfillDids().valueSerde().serializer();
        assertThatThrownBy(() -> serializer.serialize("dids", SampleRecords.didWorkItem()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not registered under subject dids-value");

        registry.register("dids-value", DidWorkItem.getClassSchema());
        byte[] bytes = serializer.serialize("dids", SampleRecords.didWorkItem());
        assertThat(strict.backfillDids().valueSerde().deserializer().deserialize("dids", bytes))
                .isEqualTo(SampleRecords.didWorkItem());
    }

    @Test
    void unknownSchemaIdIsAClearError() {
        byte[] bytes = {0, 0, 0, 0x30, 0x39, 2, 'x'};
        assertThatThrownBy(() -> topics.backfillDids().valueSerde().deserializer().deserialize("dids", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("value of topic dids")
                .hasMessageContaining("schema id 12345 not found in registry mem://registry");
    }

    @Test
    void payloadWithoutMagicByteIsAClearError() {
        byte[] json = "{\"did\":\"did:plc:x\"}".getBytes();
        assertThatThrownBy(() -> topics.backfillDids().valueSerde().deserializer().deserialize("dids", json))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("value of topic dids is not in the Confluent wire format: magic byte 0x7b");
    }

    @Test
    void truncatedAvroBodyIsASerializationException() {
        byte[] bytes = topics.backfillDids().valueSerde().serializer().serialize("dids", SampleRecords.didWorkItem());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
        assertThatThrownBy(() -> topics.backfillDids().valueSerde().deserializer().deserialize("dids", truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode the value of topic dids written with schema id");
    }

    @Test
    void valueMissingARequiredFieldIsASerializationException() {
        DidWorkItem broken = new DidWorkItem(null, "r", Instant.EPOCH);
        assertThatThrownBy(() -> topics.backfillDids().valueSerde().serializer().serialize("dids", broken))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot encode the value of topic dids");
    }

    @Test
    void unsupportedJavaTypeIsRejectedListingSupportedTypes() {
        AvroSerializer<Object> serializer = new AvroSerializer<>(registry, true, false);
        assertThatThrownBy(() -> serializer.serialize("t", new StringBuilder("x")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("SpecificRecord, GenericRecord, String, Long");
    }

    private static Schema withoutField(Schema schema, String dropped) {
        var fields = schema.getFields().stream()
                .filter(f -> !f.name().equals(dropped))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    @Test
    void aLengthLargerThanTheValueIsRefusedBeforeItIsAllocated() {
        // What WireFormatFuzzTest found: a RepoRecord whose first string claims about 1 GiB in 5 bytes.
        byte[] valid = topics.backfillRecords().valueSerde().serializer().serialize("r",
                (io.sluice.schemas.backfill.RepoRecord) SampleRecords.byTopic().get(topics.backfillRecords().name()).value());
        byte[] hostile = Arrays.copyOf(valid, 5 + 13);
        System.arraycopy(new byte[] {(byte) 0xa6, (byte) 0xa6, (byte) 0xa6, (byte) 0xa6, 0x08}, 0, hostile, 5, 5);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> topics.backfillRecords().valueSerde().deserializer().deserialize("r", hostile))
                .isInstanceOf(SerializationException.class).hasMessageContaining("string of");
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated").isLessThan(1 << 20);
    }
}
