package io.sluice.schemas.connect;

import io.sluice.schemas.serde.AvroDeserializer;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroConverterTest {

    private static final String TOPIC = "cdc.shop.users";

    /** Shaped like Debezium's MongoDB envelope: named Json strings, an Enum parameter, nested structs. */
    private static final org.apache.kafka.connect.data.Schema JSON =
            SchemaBuilder.string().name("io.debezium.data.Json").version(1).optional().build();
    private static final org.apache.kafka.connect.data.Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mongo.Source")
            .field("version", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
            .field("ts_ms", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().name("io.debezium.data.Enum").version(1)
                    .parameter("allowed", "true,last,false,incremental").defaultValue("false").build())
            .field("ord", org.apache.kafka.connect.data.Schema.INT32_SCHEMA)
            .field("lsid", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .build();
    private static final org.apache.kafka.connect.data.Schema ENVELOPE = SchemaBuilder.struct().name("cdc.shop.users.Envelope").version(2)
            .field("before", JSON)
            .field("after", JSON)
            .field("removed", SchemaBuilder.array(org.apache.kafka.connect.data.Schema.STRING_SCHEMA).optional().build())
            .field("source", SOURCE)
            .field("op", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final AvroConverter values = new AvroConverter(registry, true, false);

    private static Struct envelope() {
        Struct source = new Struct(SOURCE).put("version", "3.6.1.Final").put("ts_ms", 1_700_000_000_000L).put("ord", 3)
                .put("snapshot", "true");
        return new Struct(ENVELOPE).put("after", "{\"_id\": {\"$numberLong\": \"7\"}}")
                .put("removed", List.of("a.b")).put("source", source).put("op", "c");
    }

    @Test
    void debeziumShapedEnvelopeRoundTripsAndIsReadableAsPlainAvro() {
        byte[] bytes = values.fromConnectData(TOPIC, ENVELOPE, envelope());

        assertThat(bytes[0]).isZero();
        assertThat(registry.versions(TOPIC + "-value")).hasSize(1);
        SchemaAndValue back = values.toConnectData(TOPIC, bytes);
        assertThat(back.schema()).isEqualTo(ENVELOPE);
        assertThat(back.value()).isEqualTo(envelope());

        GenericRecord plain = AvroDeserializer.<GenericRecord>generic(registry, null, false).deserialize(TOPIC, bytes);
        assertThat(plain.getSchema().getFullName()).isEqualTo("cdc.shop.users.Envelope");
        assertThat(plain.get("after").toString()).isEqualTo("{\"_id\": {\"$numberLong\": \"7\"}}");
        assertThat(((GenericRecord) plain.get("source")).get("snapshot").toString()).isEqualTo("true");
    }

    @Test
    void avroSchemaKeepsConnectNamesAndPutsDefaultsFirstInUnions() {
        Schema avro = values.avroSchema(ENVELOPE);
        Schema after = avro.getField("after").schema();
        assertThat(after.getTypes().get(0).getType()).isEqualTo(Schema.Type.NULL);
        assertThat(after.getTypes().get(1).getProp("connect.name")).isEqualTo("io.debezium.data.Json");
        Schema.Field snapshot = avro.getField("source").schema().getField("snapshot");
        assertThat(snapshot.schema().getTypes().get(0).getType()).isEqualTo(Schema.Type.STRING);
        assertThat(snapshot.defaultVal()).isEqualTo("false");
        assertThat(snapshot.schema().getTypes().get(0).getObjectProp("connect.parameters"))
                .isEqualTo(Map.of("allowed", "true,last,false,incremental"));
        // Parses as a standalone schema, as the registry stores it.
        assertThat(new Schema.Parser().parse(avro.toString())).isEqualTo(avro);
    }

    @Test
    void logicalTypesInt8MapsAndDecimalsRoundTrip() {
        org.apache.kafka.connect.data.Schema schema = SchemaBuilder.struct().name("x.AllTypes")
                .field("tiny", org.apache.kafka.connect.data.Schema.INT8_SCHEMA)
                .field("small", org.apache.kafka.connect.data.Schema.OPTIONAL_INT16_SCHEMA)
                .field("day", Date.SCHEMA)
                .field("time", Time.SCHEMA)
                .field("at", Timestamp.builder().optional().build())
                .field("amount", Decimal.schema(2))
                .field("blob", org.apache.kafka.connect.data.Schema.BYTES_SCHEMA)
                .field("ratio", org.apache.kafka.connect.data.Schema.FLOAT32_SCHEMA)
                .field("tags", SchemaBuilder.map(org.apache.kafka.connect.data.Schema.STRING_SCHEMA,
                        org.apache.kafka.connect.data.Schema.INT64_SCHEMA).build())
                .field("byId", SchemaBuilder.map(org.apache.kafka.connect.data.Schema.INT32_SCHEMA,
                        org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build())
                .field("anon", SchemaBuilder.struct().field("n", org.apache.kafka.connect.data.Schema.INT32_SCHEMA).build())
                .field("count", SchemaBuilder.int32().defaultValue(5).build())
                .build();
        Struct value = new Struct(schema).put("tiny", (byte) -3).put("small", (short) 300)
                .put("day", new java.util.Date(86_400_000L * 3)).put("time", new java.util.Date(3_600_000L))
                .put("at", new java.util.Date(1_700_000_000_123L)).put("amount", new BigDecimal("1234.50"))
                .put("blob", new byte[]{1, 2}).put("ratio", 0.5f).put("tags", Map.of("a", 1L)).put("byId", Map.of(7, "seven"))
                .put("anon", new Struct(schema.field("anon").schema()).put("n", 1));

        byte[] bytes = values.fromConnectData("t", schema, value);
        SchemaAndValue back = values.toConnectData("t", bytes);

        assertThat(back.schema()).isEqualTo(schema);
        Struct read = (Struct) back.value();
        assertThat(read.getInt8("tiny")).isEqualTo((byte) -3);
        assertThat(read.get("amount")).isEqualTo(new BigDecimal("1234.50"));
        assertThat(read.getBytes("blob")).containsExactly(1, 2);
        assertThat(read.getMap("byId")).isEqualTo(Map.of(7, "seven"));
        assertThat(read.getInt32("count")).isEqualTo(5);
        assertThat(read.get("at")).isEqualTo(new java.util.Date(1_700_000_000_123L));
        Schema avro = values.avroSchema(schema);
        assertThat(avro.getField("amount").schema().getLogicalType()).isEqualTo(LogicalTypes.decimal(64, 2));
        assertThat(avro.getField("day").schema().getLogicalType()).isEqualTo(LogicalTypes.date());
    }

    @Test
    void namesThatAreNotValidAvroAreAdjustedAndKept() {
        org.apache.kafka.connect.data.Schema key = SchemaBuilder.struct().name("cdc.my-db.users.Key")
                .field("id", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build();
        Schema avro = values.avroSchema(key);
        assertThat(avro.getFullName()).isEqualTo("cdc.my_db.users.Key");
        assertThat(avro.getProp("connect.name")).isEqualTo("cdc.my-db.users.Key");
        AvroConverter keys = new AvroConverter(registry, true, true);
        byte[] bytes = keys.fromConnectData("cdc.my-db.users", key, new Struct(key).put("id", "42"));
        assertThat(keys.toConnectData("cdc.my-db.users", bytes).schema()).isEqualTo(key);
        assertThat(registry.versions("cdc.my-db.users-key")).hasSize(1);
    }

    @Test
    void aNullOptionalFieldWithADefaultIsWrittenAsTheDefault() {
        Struct env = envelope();
        ((Struct) env.get("source")).put("snapshot", null);
        Struct read = (Struct) values.toConnectData(TOPIC, values.fromConnectData(TOPIC, ENVELOPE, env)).value();
        assertThat(read.getStruct("source").getString("snapshot")).isEqualTo("false");
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(values.fromConnectData(TOPIC, ENVELOPE, null)).isNull();
        assertThat(values.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void badDataIsADataException() {
        assertThatThrownBy(() -> values.toConnectData(TOPIC, new byte[]{1, 2, 3, 4, 5, 6}))
                .isInstanceOf(DataException.class).hasMessageContaining("magic byte");
        assertThatThrownBy(() -> values.toConnectData(TOPIC, new byte[]{0, 0, 0, 0, 99, 2}))
                .isInstanceOf(DataException.class).hasMessageContaining("99");
        assertThatThrownBy(() -> values.fromConnectData(TOPIC, null, "x"))
                .isInstanceOf(DataException.class).hasMessageContaining("no Connect schema");
        org.apache.kafka.connect.data.Schema s = SchemaBuilder.struct().name("x.R")
                .field("n", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build();
        // A Struct checks required fields only in validate(); the converter refuses the null itself.
        assertThatThrownBy(() -> values.fromConnectData("t", s, new Struct(s)))
                .isInstanceOf(DataException.class).hasMessageContaining("required");
    }

    @Test
    void withoutAutoRegisterTheSchemaMustBeRegistered() {
        AvroConverter strict = new AvroConverter(registry, false, false);
        assertThatThrownBy(() -> strict.fromConnectData(TOPIC, ENVELOPE, envelope()))
                .isInstanceOf(DataException.class).hasMessageContaining("not registered");
        values.fromConnectData(TOPIC, ENVELOPE, envelope());
        assertThat(strict.fromConnectData(TOPIC, ENVELOPE, envelope())).isNotEmpty();
    }

    @Test
    void configuredByClassNameLikeAConnectWorkerDoes() {
        AvroConverter byName = new AvroConverter();
        assertThatThrownBy(() -> byName.configure(Map.of(), false)).hasMessageContaining("schema.registry.url");
        byName.configure(Map.of("schema.registry.url", "http://127.0.0.1:1/apis/ccompat/v7"), false);
        assertThat(byName.fromConnectData(TOPIC, ENVELOPE, null)).isNull();
    }
}
