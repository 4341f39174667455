package io.sluice.etl.cdc;

import io.debezium.util.Clock;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.schemas.connect.AvroConverter;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MongoChangeEventsTest {

    static final long NOW = 1_750_000_000_000L;

    private final UserChangeFeed feed = new UserChangeFeed(new UserGenerator(7), new MongoChangeEvents("shop", fixedClock()));

    static Clock fixedClock() {
        return () -> NOW;
    }

    @Test
    void insertIsACreateEventWithTheDocumentAsStrictExtendedJson() {
        SourceRecord record = feed.create(1, 1).get(0);

        assertThat(record.topic()).isEqualTo("cdc.shop.users");
        assertThat(((Struct) record.key()).getString("id")).isEqualTo("1");
        assertThat(record.keySchema().name()).isEqualTo("cdc.shop.users.Key");
        Struct value = (Struct) record.value();
        assertThat(record.valueSchema().name()).isEqualTo("cdc.shop.users.Envelope");
        assertThat(value.getString("op")).isEqualTo("c");
        assertThat(value.getInt64("ts_ms")).isEqualTo(NOW);
        assertThat(value.getString("before")).isNull();
        assertThat(BsonDocument.parse(value.getString("after"))).isEqualTo(feed.document(1));
        assertThat(value.getString("after")).contains("{\"$numberLong\": \"1\"}").contains("\"$date\"").contains("\"$numberDecimal\"");
        Struct source = value.getStruct("source");
        assertThat(source.getString("connector")).isEqualTo("mongodb");
        assertThat(source.getString("name")).isEqualTo("cdc");
        assertThat(source.getString("db")).isEqualTo("shop");
        assertThat(source.getString("collection")).isEqualTo("users");
        // Debezium leaves snapshot unset outside snapshots; Struct.get gives the schema default.
        assertThat(source.getString("snapshot")).isNull();
        assertThat(source.get("snapshot")).isEqualTo("false");
        assertThat(source.getInt64("ts_ms")).isEqualTo(NOW);
    }

    @Test
    void snapshotIsReadEventsWithTheLastMarked() {
        List<SourceRecord> records = feed.snapshot(1, 3);

        assertThat(records).extracting(r -> ((Struct) r.value()).getString("op")).containsExactly("r", "r", "r");
        assertThat(records).extracting(r -> ((Struct) r.value()).getStruct("source").getString("snapshot"))
                .containsExactly("true", "true", "true");
        assertThat(records.get(2).sourceOffset().get("initsync")).isEqualTo(true);
        SourceRecord after = feed.create(4, 4).get(0);
        assertThat(((Struct) after.value()).getStruct("source").get("snapshot")).isEqualTo("false");
    }

    @Test
    void updateCarriesTheFullDocumentAndWhatChanged() {
        feed.create(5, 5);
        feed.update(5);
        feed.update(5);
        SourceRecord third = feed.update(5);

        Struct value = (Struct) third.value();
        assertThat(value.getString("op")).isEqualTo("u");
        BsonDocument after = BsonDocument.parse(value.getString("after"));
        assertThat(after).isEqualTo(feed.document(5));
        assertThat(after.containsKey("address")).isFalse();
        Struct description = value.getStruct("updateDescription");
        assertThat(description.getArray("removedFields")).containsExactly("address");
        assertThat(BsonDocument.parse(description.getString("updatedFields")).keySet()).contains("activity_log", "updated_at");
    }

    @Test
    void deleteIsADeleteEventAndATombstone() {
        feed.create(9, 9);
        List<SourceRecord> records = feed.delete(9);

        assertThat(records).hasSize(2);
        Struct delete = (Struct) records.get(0).value();
        assertThat(delete.getString("op")).isEqualTo("d");
        assertThat(delete.getString("after")).isNull();
        assertThat(((Struct) records.get(0).key()).getString("id")).isEqualTo("9");
        assertThat(records.get(1).value()).isNull();
        assertThat(records.get(1).key()).isEqualTo(records.get(0).key());
    }

    @Test
    void encodedEventsDecodeBackThroughTheSameConverter() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        CdcRecordEncoder encoder = new CdcRecordEncoder(registry);
        feed.create(1, 1);
        List<SourceRecord> events = List.of(feed.update(1), feed.delete(1).get(0), feed.create(2, 2).get(0));
        AvroConverter values = new AvroConverter(registry, false, false);
        for (SourceRecord event : events) {
            ProducerRecord<byte[], byte[]> encoded = encoder.encode(event);
            Struct back = (Struct) values.toConnectData(encoded.topic(), encoded.value()).value();
            Struct sent = (Struct) event.value();
            // Compared field by field: an equality failure would print two whole user documents.
            for (String field : List.of("before", "after", "op", "ts_ms")) {
                assertThat(back.get(field)).as(field).isEqualTo(sent.get(field));
            }
            assertThat(String.valueOf(back.get("updateDescription"))).isEqualTo(String.valueOf(sent.get("updateDescription")));
            for (org.apache.kafka.connect.data.Field f : sent.getStruct("source").schema().fields()) {
                // the converter writes a field's default for null, as Confluent's does (snapshot → "false")
                assertThat(back.getStruct("source").get(f.name())).as(f.name()).isEqualTo(sent.getStruct("source").get(f));
            }
        }
        assertThat(registry.versions("cdc.shop.users-value")).hasSize(1);
        assertThat(registry.versions("cdc.shop.users-key")).hasSize(1);
        ProducerRecord<byte[], byte[]> tombstone = encoder.encode(feed.delete(2).get(1));
        assertThat(tombstone.value()).isNull();
        assertThat(tombstone.key()).isNotNull();
    }
}
