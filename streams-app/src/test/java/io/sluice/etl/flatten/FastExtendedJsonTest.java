package io.sluice.etl.flatten;

import io.debezium.util.Clock;
import io.sluice.etl.cdc.MongoChangeEvents;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.generate.UserUpdates;
import org.apache.kafka.connect.data.Struct;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path gives exactly what MongoDB's own reader gives, or steps aside. */
class FastExtendedJsonTest {

    @Test
    void debeziumsAfterOfGeneratedUsersParsesAsMongoDbParsesIt() {
        MongoChangeEvents events = new MongoChangeEvents("app", Clock.system());
        UserGenerator generator = new UserGenerator(11);
        UserUpdates updates = new UserUpdates(generator);
        for (long id = 1; id <= 200; id++) {
            BsonDocument user = generator.user(id);
            for (BsonDocument doc : new BsonDocument[] {user, updates.update(user, 3)}) {
                String after = ((Struct) events.insert(doc).value()).getString("after");
                BsonDocument fast = FastExtendedJson.parseOrNull(after);
                assertThat(fast).as(after).isNotNull().isEqualTo(BsonDocument.parse(after)).isEqualTo(doc);
                byte[] utf8 = ("xx" + after + "yy").getBytes(StandardCharsets.UTF_8); // as an Avro Utf8 may: a longer buffer
                assertThat(FastExtendedJson.parseOrNull(utf8, 2, utf8.length - 4)).isEqualTo(doc);
            }
        }
    }

    @Test
    void wrappersAndPlainNumbersMatchMongoDbsReader() {
        String json = """
                {"a": {"$numberLong": "9007199254740993"}, "b": {"$numberInt": "7"}, "c": {"$numberDouble": "1.5"},
                 "d": {"$numberDecimal": "1234.50"}, "e": {"$oid": "65a1b2c3d4e5f60718293a4b"},
                 "f": {"$date": 1704067200000}, "h": {"$date": {"$numberLong": "1704067200000"}},
                 "i": {"$numberDouble": "NaN"}, "j": 7, "k": 9007199254740993, "l": 1.25, "m": -3e2, "n": [null, true, false, {}],
                 "o": {"x": {"y": [1, "z"]}}, "p": "\\u00e9\\n"}
                """;
        assertThat(FastExtendedJson.parseOrNull(json)).isEqualTo(BsonDocument.parse(json));
    }

    @Test
    void bytesGiveWhatTheirTextGives() {
        String json = "{\"a\": \"\u00e9t\u00e9 \uD83D\uDE00\", \"b\": {\"$date\": \"2024-01-01T00:00:00Z\"}}";
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        assertThat(MongoExtendedJson.parseDocument(utf8, 0, utf8.length)).isEqualTo(BsonDocument.parse(json));
        // malformed UTF-8: the fast path steps aside, MongoDB's reader gets the text with replacement characters
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThat(FastExtendedJson.parseOrNull(bad, 0, bad.length)).isNull();
        assertThat(MongoExtendedJson.parseDocument(bad, 0, bad.length).getString("a").getValue()).isEqualTo("\uFFFD");
    }

    @Test
    void stepsAsideForWhatItDoesNotKnow() {
        assertThat(FastExtendedJson.parseOrNull("{\"g\": {\"$date\": \"2024-01-01T00:00:00Z\"}}")).isNull();
        assertThat(FastExtendedJson.parseOrNull("{\"b\": {\"$binary\": {\"base64\": \"AA==\", \"subType\": \"00\"}}}")).isNull();
        assertThat(FastExtendedJson.parseOrNull("{\"a\": {\"$numberLong\": \"x\"}}")).isNull();
        assertThat(FastExtendedJson.parseOrNull("{\"a\": 123456789012345678901234567890}")).isNull();
        assertThat(FastExtendedJson.parseOrNull("{\"a\": ")).isNull();
        assertThat(FastExtendedJson.parseOrNull("[1]")).isNull();
        assertThat(FastExtendedJson.parseOrNull("{\"a\": 1} {}")).isNull();
        // and the caller still gets MongoDB's answer
        assertThat(MongoExtendedJson.parseDocument("{\"g\": {\"$date\": \"2024-01-01T00:00:00Z\"}}").getDateTime("g").getValue())
                .isEqualTo(1704067200000L);
    }
}
