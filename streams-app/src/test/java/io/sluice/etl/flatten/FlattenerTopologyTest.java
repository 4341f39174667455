package io.sluice.etl.flatten;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.etl.UserRows;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlattenerTopologyTest {

    private final FlattenerDriver t = new FlattenerDriver();

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void aCreateGivesTheUsersRowsInAll15TablesKeyedByUserId() {
        t.pipe(t.feed.create(1, 1));

        KeyValue<Long, UserRows> out = t.rows.readKeyValue();
        assertThat(out.key).isEqualTo(1L);
        UserRows rows = out.value;
        assertThat(rows.getDeleted()).isFalse();
        assertThat(rows.getSourceTs()).isEqualTo(Instant.ofEpochMilli(FlattenerDriver.NOW));
        assertThat(rows).isEqualTo(FlattenerDriver.flattenedAs(t.feed.document(1), rows));
        assertThat(rows.getUsers()).hasSize(1);
        assertThat(rows.getUsers().get(0).getEmail()).isEqualTo(t.feed.document(1).getString("email").getValue());
        for (List<?> oneRowTable : List.of(rows.getAddresses(), rows.getProfiles(), rows.getPreferences(), rows.getSettings(),
                rows.getSocialMedia(), rows.getLargeData())) {
            assertThat(oneRowTable).hasSize(1);
        }
        BsonDocument doc = t.feed.document(1);
        assertThat(rows.getActivityLog()).hasSize(doc.getArray("activity_log").size());
        assertThat(rows.getTransactions()).hasSize(doc.getArray("transactions").size());
        assertThat(rows.getMessages()).hasSize(doc.getArray("messages").size());
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void everyChangeCarriesItsSourcePositionAndLaterChangesHaveHigherOnes() {
        t.pipe(t.feed.snapshot(1, 2));
        t.pipe(t.feed.create(3, 3));
        t.pipe(t.feed.update(3));
        t.pipe(t.feed.delete(3));

        List<UserRows> out = t.rows.readValuesToList();
        assertThat(out).hasSize(5).allSatisfy(r -> assertThat(r.getSourceOrd()).isNotNull());
        // The snapshot reads carry the snapshot's position, one for all of them.
        assertThat(out.get(0).getSourceOrd()).isEqualTo(out.get(1).getSourceOrd());
        assertThat(out.get(0).getSourceTs()).isEqualTo(out.get(1).getSourceTs());
        // Same clock second: the increment within it orders create, update and delete.
        assertThat(out.subList(1, 5)).extracting(UserRows::getSourceOrd).isSorted().doesNotHaveDuplicates();
        assertThat(out.get(4).getDeleted()).isTrue();
    }

    @Test
    void snapshotReadsFlattenLikeCreates() {
        t.pipe(t.feed.snapshot(1, 5));

        List<KeyValue<Long, UserRows>> out = t.rows.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(out).allSatisfy(kv -> assertThat(UserFlattener.rowCount(kv.value)).isGreaterThan(7));
    }

    @Test
    void anUpdateThatRemovesArrayElementsGivesTheSmallerRowSet() {
        t.pipe(t.feed.create(2, 2));
        UserRows before = t.rows.readValue();
        t.feed.update(2);
        t.feed.update(2);
        t.pipe(t.feed.update(2)); // version 3: half the activity log, a message and the address gone

        UserRows after = t.rows.readValue();
        assertThat(after.getUserId()).isEqualTo(2L);
        assertThat(after.getActivityLog()).hasSizeLessThan(before.getActivityLog().size());
        assertThat(after.getActivityLog()).extracting(r -> r.getId())
                .containsExactlyElementsOf(before.getActivityLog().subList(0, after.getActivityLog().size()).stream()
                        .map(r -> r.getId()).toList());
        assertThat(after.getAddresses()).isEmpty();
        assertThat(after.getMessages()).hasSize(Math.max(0, before.getMessages().size() - 3));
        assertThat(after.getTransactions()).hasSize(before.getTransactions().size() + 3);
        assertThat(after.getPosts()).hasSize(after.getPosts().size()).allSatisfy(p -> assertThat(p.getUserId()).isEqualTo(2L));
        assertThat(after).isEqualTo(FlattenerDriver.flattenedAs(t.feed.document(2), after));
    }

    @Test
    void aDeleteGivesADeletionBundleAndItsTombstoneNothing() {
        t.pipe(t.feed.create(3, 3));
        t.rows.readValue();
        List<SourceRecord> delete = t.feed.delete(3);
        assertThat(delete.get(1).value()).isNull();
        t.pipe(delete);

        List<KeyValue<Long, UserRows>> out = t.rows.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo(3L);
        UserRows deleted = out.get(0).value;
        assertThat(deleted.getDeleted()).isTrue();
        assertThat(UserFlattener.rowCount(deleted)).isZero();
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void aMalformedDocumentGoesToTheDlqWithTheReasonAndTheStageKeepsGoing() {
        t.feed.create(4, 5);
        BsonDocument bad = t.feed.document(4);
        bad.put("age", new BsonString("forty"));
        // Debezium emits whatever MongoDB holds; the flattener is what refuses it.
        SourceRecord badEvent = new io.sluice.etl.cdc.MongoChangeEvents("shop", () -> FlattenerDriver.NOW).insert(bad);
        t.pipe(badEvent);
        t.pipe(t.feed.update(5));

        TestRecord<byte[], byte[]> dead = t.dlq.readRecord();
        assertThat(header(dead, DeadLetter.ERROR_MESSAGE)).isEqualTo("age is a string; allowed: int32, int64, integral double or decimal");
        assertThat(header(dead, DeadLetter.TOPIC)).isEqualTo(FlattenerDriver.CDC_TOPIC);
        assertThat(header(dead, DeadLetter.PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetter.OFFSET)).isEqualTo("0");
        assertThat(header(dead, DeadLetter.STAGE)).isEqualTo("flattener");
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("invalid-document");
        assertThat(header(dead, DeadLetter.ERROR_CLASS)).isEqualTo(UnmappableDocumentException.class.getName());
        assertThat(dead.value()).isEqualTo(t.encoder.encode(badEvent).value());
        assertThat(t.rows.readKeyValue().key).isEqualTo(5L);
    }

    @Test
    void issue16ANegativeZeroDecimalIsMappedAndANanAmountDeadLetteredWithoutStoppingTheStage() {
        SourceRecord negativeZero = t.feed.create(10, 10).get(0);
        ((Struct) negativeZero.value()).put("after",
                "{\"_id\": 10, \"transactions\": [{\"amount\": {\"$numberDecimal\": \"-0.00\"}}]}");
        SourceRecord nan = t.feed.create(11, 11).get(0);
        ((Struct) nan.value()).put("after", "{\"_id\": 11, \"transactions\": [{\"amount\": {\"$numberDecimal\": \"NaN\"}}]}");
        t.pipe(negativeZero);
        t.pipe(nan);
        t.pipe(t.feed.create(12, 12));

        List<KeyValue<Long, UserRows>> out = t.rows.readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key).containsExactly(10L, 12L);
        assertThat(out.get(0).value.getTransactions().get(0).getAmount()).isEqualTo("0.00");
        TestRecord<byte[], byte[]> dead = t.dlq.readRecord();
        assertThat(header(dead, DeadLetter.REASON)).isEqualTo("invalid-document");
        assertThat(header(dead, DeadLetter.OFFSET)).isEqualTo("1");
        assertThat(header(dead, DeadLetter.ERROR_MESSAGE)).isEqualTo("transactions[0].amount is NaN; only finite decimals are mapped");
        assertThat(t.dlq.isEmpty()).isTrue();
    }

    @Test
    void bytesThatAreNotAvroAndDocumentsThatAreNotJsonGoToTheDlq() {
        t.pipeRaw("k".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
        SourceRecord event = t.feed.create(6, 6).get(0);
        ((Struct) event.value()).put("after", "{\"_id\": {\"$numberLong\": \"6\"}, \"age\": ");
        t.pipe(event);

        List<TestRecord<byte[], byte[]>> dead = t.dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(header(dead.get(0), DeadLetter.ERROR_MESSAGE)).contains("not in the Confluent wire format");
        assertThat(header(dead.get(0), DeadLetter.REASON)).isEqualTo("deserialization");
        assertThat(dead.get(0).key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.get(0).value()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
        assertThat(header(dead.get(1), DeadLetter.ERROR_MESSAGE)).startsWith("not a MongoDB extended-JSON document");
        assertThat(header(dead.get(1), DeadLetter.OFFSET)).isEqualTo("1");
        assertThat(t.rows.isEmpty()).isTrue();
    }

    @Test
    void anUnknownOperationOrAMismatchedKeyGoesToTheDlq() {
        SourceRecord truncate = t.feed.create(7, 7).get(0);
        ((Struct) truncate.value()).put("op", "t");
        t.pipe(truncate);
        SourceRecord otherKey = t.feed.create(8, 8).get(0);
        ((Struct) otherKey.key()).put("id", "9");
        t.pipe(otherKey);

        List<TestRecord<byte[], byte[]>> dead = t.dlq.readRecordsToList();
        assertThat(header(dead.get(0), DeadLetter.ERROR_MESSAGE))
                .isEqualTo("op 't' is not a users change; allowed: c (create), r (read), u (update), d (delete)");
        assertThat(header(dead.get(1), DeadLetter.ERROR_MESSAGE)).isEqualTo("the key's id 9 differs from the document's _id 8");
    }

    @Test
    void operatorsAreNamed() {
        String description = FlattenerTopology.build(FlattenerConfig.defaults(ConnectionSettings.plaintext("b:9092", "http://unused.invalid")), t.serdes).describe().toString();
        assertThat(description).contains("etl-cdc-source", "etl-flatten", "etl-key-by-user", "etl-user-rows-sink", "etl-dlq-sink")
                .doesNotContain("KSTREAM-");
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
