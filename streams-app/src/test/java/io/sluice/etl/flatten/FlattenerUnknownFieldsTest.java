package io.sluice.etl.flatten;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.etl.UserRows;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlattenerUnknownFieldsTest {

    @ParameterizedTest(name = "a field at {0} is dead-lettered naming {1}")
    @CsvSource({
            "'{\"_id\": 1, \"nickname\": \"bo\"}', nickname",
            "'{\"_id\": 1, \"profile\": {\"education\": [{\"degree\": \"BSc\"}, {\"gpa\": 3.5}]}}', profile.education[1].gpa",
            "'{\"_id\": 1, \"preferences\": {\"notifications\": {\"email\": true, \"fax\": false}}}', preferences.notifications.fax",
            "'{\"_id\": 1, \"messages\": [{\"attachments\": [{\"filename\": \"a\", \"checksum\": \"x\"}]}]}', messages[0].attachments[0].checksum"
    })
    void underDlqADocumentWithAnUnknownFieldIsDeadLetteredNamingItsPathAndTheNextChangeIsApplied(String after, String path) {
        try (FlattenerDriver t = new FlattenerDriver(UnknownFields.DLQ)) {
            t.pipe(event(t, 1, after));
            t.pipe(t.feed.create(2, 2));

            TestRecord<byte[], byte[]> dead = t.dlq.readRecord();
            assertThat(header(dead, DeadLetter.REASON)).isEqualTo("unknown-field");
            assertThat(header(dead, DeadLetter.STAGE)).isEqualTo("flattener");
            assertThat(header(dead, DeadLetter.OFFSET)).isEqualTo("0");
            assertThat(header(dead, DeadLetter.ERROR_CLASS)).isEqualTo(UnknownFieldException.class.getName());
            assertThat(header(dead, DeadLetter.ERROR_MESSAGE)).isEqualTo(path + " is not a field the mapping knows (--unknown-fields dlq)");
            assertThat(t.rows.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(2L);
        }
    }

    @Test
    void underIgnoreTheUnknownFieldsAreDroppedAndTheRestMapped() {
        try (FlattenerDriver t = new FlattenerDriver()) {
            t.pipe(event(t, 1, "{\"_id\": 1, \"nickname\": \"bo\", \"profile\": {\"bio\": \"hi\", \"education\": [{\"gpa\": 3.5}]}}"));

            UserRows rows = t.rows.readValue();
            assertThat(rows.getProfiles().get(0).getBio()).isEqualTo("hi");
            assertThat(rows.getEducation()).hasSize(1);
            assertThat(t.dlq.isEmpty()).isTrue();
        }
    }

    @Test
    void generatedUsersHaveNoUnknownFieldSoTheKnownFieldsKeepInStepWithTheMapping() {
        try (FlattenerDriver t = new FlattenerDriver(UnknownFields.DLQ)) {
            t.pipe(t.feed.create(1, 40));
            for (long id = 1; id <= 40; id++) t.feed.update(id);
            for (long id = 1; id <= 40; id++) t.pipe(t.feed.update(id));

            List<KeyValue<Long, UserRows>> out = t.rows.readKeyValuesToList();
            assertThat(out).hasSize(80);
            assertThat(t.dlq.isEmpty()).isTrue();
        }
    }

    @Test
    void fieldsWhoseWholeValueGoesToJsonbTakeAnyContent() {
        BsonDocument doc = MongoExtendedJson.parseDocument("{\"_id\": 1, \"address\": {\"coordinates\": {\"alt\": 3}},"
                + " \"profile\": {\"skills\": [{\"any\": 1}]}, \"preferences\": {\"settings\": {\"font\": 3}},"
                + " \"large_data\": {\"whatever\": {\"deep\": 1}}}");
        KnownFields.requireKnown(doc); // no exception
        doc.getDocument("address").put("altitude", new BsonInt32(3));
        assertThatThrownBy(() -> KnownFields.requireKnown(doc)).isInstanceOf(UnknownFieldException.class)
                .hasMessageStartingWith("address.altitude ");
    }

    @Test
    void thePolicyIsParsedStrictlyListingTheAllowedValues() {
        assertThat(UnknownFields.parse("ignore")).isEqualTo(UnknownFields.IGNORE);
        assertThat(UnknownFields.parse("DLQ")).isEqualTo(UnknownFields.DLQ);
        assertThatThrownBy(() -> UnknownFields.parse("drop")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown-field policy 'drop' is not one of: ignore, dlq");
    }

    private static SourceRecord event(FlattenerDriver t, long id, String after) {
        SourceRecord event = t.feed.create(id, id).get(0);
        ((Struct) event.value()).put("after", after);
        return event;
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
