package io.sluice.etl.flatten;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.etl.UserRows;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonString;
import org.bson.BsonValue;
import org.bson.json.JsonMode;
import org.bson.json.JsonWriterSettings;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16: no value can stop the flattener. A generated user document gets, in one randomly chosen place (any
 * field of any nested object or array element, an existing field or a new one, or an array element), a value of
 * any BSON type in MongoDB extended JSON, canonical or relaxed, valid or not; the rest of the document is written
 * canonical or relaxed too. Each such change is either mapped or dead-lettered with the contract's headers, and a
 * valid change piped right after it on the same partition is applied.
 */
class FlattenerBsonValuesTest {

    private static final String PLACEHOLDER = "__sluice_generated_value__";

    private FlattenerDriver t;
    private long nextId = 1;
    private long nextOffset = 0;

    @BeforeProperty
    void start() {
        t = new FlattenerDriver();
    }

    @AfterProperty
    void stop() {
        t.close();
    }

    @Property(tries = 250)
    void everyBsonValueAnywhereIsMappedOrDeadLetteredAndTheNextChangeIsApplied(
            @ForAll("values") String value, @ForAll("places") int place, @ForAll boolean canonical) {
        long badId = nextId++;
        long goodId = nextId++;
        SourceRecord bad = t.feed.create(badId, badId).get(0);
        ((Struct) bad.value()).put("after", withValue(t.feed.document(badId), place, value, canonical));
        ProducerRecord<byte[], byte[]> encoded = t.encoder.encode(bad);
        t.pipeRaw(encoded.key(), encoded.value());
        long badOffset = nextOffset++;
        t.pipe(t.feed.create(goodId, goodId));
        nextOffset++;

        List<KeyValue<Long, UserRows>> rows = t.rows.readKeyValuesToList();
        List<TestRecord<byte[], byte[]>> dead = t.dlq.readRecordsToList();
        boolean mapped = rows.size() == 2;
        Statistics.collect(mapped ? "mapped" : "dead-lettered");
        if (mapped) {
            assertThat(rows.get(0).key).isEqualTo(badId);
            assertThat(dead).isEmpty();
        } else {
            assertThat(rows).hasSize(1);
            assertThat(dead).hasSize(1);
            TestRecord<byte[], byte[]> letter = dead.get(0);
            assertThat(header(letter, DeadLetter.STAGE)).isEqualTo("flattener");
            assertThat(header(letter, DeadLetter.REASON)).isEqualTo("invalid-document");
            assertThat(header(letter, DeadLetter.TOPIC)).isEqualTo(FlattenerDriver.CDC_TOPIC);
            assertThat(header(letter, DeadLetter.PARTITION)).isEqualTo("0");
            assertThat(header(letter, DeadLetter.OFFSET)).isEqualTo(Long.toString(badOffset));
            assertThat(header(letter, DeadLetter.ERROR_CLASS)).isNotBlank();
            assertThat(header(letter, DeadLetter.ERROR_MESSAGE)).isNotBlank();
            assertThat(letter.key()).isEqualTo(encoded.key());
            assertThat(letter.value()).isEqualTo(encoded.value());
        }
        KeyValue<Long, UserRows> next = rows.get(rows.size() - 1);
        assertThat(next.key).isEqualTo(goodId);
        assertThat(next.value).isEqualTo(FlattenerDriver.flattenedAs(t.feed.document(goodId), next.value));
    }

    /** The document as extended JSON with {@code rawValue} put in place number {@code place} (modulo the places it has). */
    static String withValue(BsonDocument doc, int place, String rawValue, boolean canonical) {
        List<Runnable> places = new ArrayList<>();
        collectPlaces(doc, places);
        places.get(Math.floorMod(place, places.size())).run();
        String json = doc.toJson(JsonWriterSettings.builder().outputMode(canonical ? JsonMode.EXTENDED : JsonMode.RELAXED).build());
        assertThat(json).contains(PLACEHOLDER);
        return json.replace("\"" + PLACEHOLDER + "\"", rawValue);
    }

    private static void collectPlaces(BsonValue value, List<Runnable> places) {
        if (value.isDocument()) {
            BsonDocument d = value.asDocument();
            for (Map.Entry<String, BsonValue> e : d.entrySet()) {
                String key = e.getKey();
                places.add(() -> d.put(key, new BsonString(PLACEHOLDER)));
                collectPlaces(e.getValue(), places);
            }
            places.add(() -> d.put("unmapped_field", new BsonString(PLACEHOLDER)));
        } else if (value.isArray()) {
            BsonArray a = value.asArray();
            for (int i = 0; i < a.size(); i++) {
                int index = i;
                places.add(() -> a.set(index, new BsonString(PLACEHOLDER)));
                collectPlaces(a.get(i), places);
            }
            places.add(() -> a.add(new BsonString(PLACEHOLDER)));
        }
    }

    @Provide
    Arbitrary<Integer> places() {
        return Arbitraries.integers().between(0, 10_000);
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of(SCALARS)),
                net.jqwik.api.Tuple.of(1, deepNesting()),
                net.jqwik.api.Tuple.of(1, longArrays()),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40).map(FlattenerBsonValuesTest::jsonString)));
    }

    private static Arbitrary<String> deepNesting() {
        return Combinators.combine(Arbitraries.integers().between(1, 400), Arbitraries.of(SCALARS), Arbitraries.of(true, false))
                .as((depth, leaf, objects) -> (objects ? "{\"a\": " : "[").repeat(depth) + leaf + (objects ? "}" : "]").repeat(depth));
    }

    private static Arbitrary<String> longArrays() {
        return Combinators.combine(Arbitraries.integers().between(0, 12_000), Arbitraries.of("{}", "1", "{\"$numberDecimal\": \"-0\"}",
                        "{\"action\": \"x\", \"timestamp\": {\"$date\": \"2024-01-01T00:00:00Z\"}}"))
                .as((n, element) -> "[" + String.join(",", java.util.Collections.nCopies(n, element)) + "]");
    }

    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') b.append('\\').appendCodePoint(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", c));
            else b.appendCodePoint(c);
        });
        return b.append('"').toString();
    }

    /** Every BSON type in extended JSON, canonical and relaxed, valid and not, with its extremes. */
    private static final List<String> SCALARS = List.of(
            // Decimal128
            "{\"$numberDecimal\": \"-0\"}", "{\"$numberDecimal\": \"-0.00\"}", "{\"$numberDecimal\": \"-0E+6111\"}",
            "{\"$numberDecimal\": \"0E-6176\"}", "{\"$numberDecimal\": \"NaN\"}", "{\"$numberDecimal\": \"-NaN\"}",
            "{\"$numberDecimal\": \"Infinity\"}", "{\"$numberDecimal\": \"-Infinity\"}", "{\"$numberDecimal\": \"1E+6144\"}",
            "{\"$numberDecimal\": \"-1E-6176\"}", "{\"$numberDecimal\": \"9.999999999999999999999999999999999E+6144\"}",
            "{\"$numberDecimal\": \"1E+7000\"}", "{\"$numberDecimal\": \"12.345678901234567890123456789012345\"}",
            "{\"$numberDecimal\": \"abc\"}", "{\"$numberDecimal\": \"1234.50\"}",
            // double
            "{\"$numberDouble\": \"NaN\"}", "{\"$numberDouble\": \"Infinity\"}", "{\"$numberDouble\": \"-Infinity\"}",
            "{\"$numberDouble\": \"-0.0\"}", "{\"$numberDouble\": \"1.0E-7\"}", "{\"$numberDouble\": \"1.7976931348623157E308\"}",
            "{\"$numberDouble\": \"4.9E-324\"}", "{\"$numberDouble\": \"x\"}", "-0.0", "1e-7", "0.1", "1e21", "1e308",
            "4.9e-324", "12.0",
            // int32 and int64
            "{\"$numberInt\": \"2147483647\"}", "{\"$numberInt\": \"-2147483648\"}", "{\"$numberInt\": \"2147483648\"}",
            "2147483647", "-2147483648", "2147483648", "0", "-1",
            "{\"$numberLong\": \"9223372036854775807\"}", "{\"$numberLong\": \"-9223372036854775808\"}",
            "{\"$numberLong\": \"9223372036854775808\"}", "9223372036854775807", "-9223372036854775808",
            "9223372036854775808", "123456789012345678901234567890",
            // dates
            "{\"$date\": {\"$numberLong\": \"-62135596800001\"}}", "{\"$date\": {\"$numberLong\": \"9223372036854775807\"}}",
            "{\"$date\": {\"$numberLong\": \"-9223372036854775808\"}}", "{\"$date\": \"1970-01-01T00:00:00Z\"}",
            "{\"$date\": \"+275760-09-13T00:00:00Z\"}", "{\"$date\": \"-001000-01-01T00:00:00Z\"}",
            "{\"$date\": \"not a date\"}", "{\"$date\": 8640000000000001}", "{\"$date\": -8640000000000001}",
            "{\"$date\": 1.5}", "\"2024-05-01T10:00:00Z\"", "\"+200000-01-01T00:00:00Z\"", "\"yesterday\"",
            // binary, uuid, oid
            "{\"$binary\": {\"base64\": \"AQID\", \"subType\": \"00\"}}", "{\"$binary\": \"AQID\", \"$type\": \"00\"}",
            "{\"$binary\": {\"base64\": \"c//SZESzTGmQ6OfR38A11A==\", \"subType\": \"04\"}}",
            "{\"$binary\": {\"base64\": \"!!\", \"subType\": \"00\"}}", "{\"$uuid\": \"73ffd264-44b3-4c69-90e8-e7d1dfc035d4\"}",
            "{\"$oid\": \"65a1b2c3d4e5f60718293a4b\"}", "{\"$oid\": \"xyz\"}",
            // regex, timestamp, keys, symbol, undefined, dbPointer, code
            "{\"$regularExpression\": {\"pattern\": \"^a.*\", \"options\": \"i\"}}", "{\"$regex\": \"^a\", \"$options\": \"i\"}",
            "{\"$timestamp\": {\"t\": 4294967295, \"i\": 4294967295}}", "{\"$timestamp\": {\"t\": 0, \"i\": 0}}",
            "{\"$minKey\": 1}", "{\"$maxKey\": 1}", "{\"$symbol\": \"sym\"}", "{\"$undefined\": true}",
            "{\"$dbPointer\": {\"$ref\": \"c\", \"$id\": {\"$oid\": \"65a1b2c3d4e5f60718293a4b\"}}}",
            "{\"$code\": \"f()\"}", "{\"$code\": \"f()\", \"$scope\": {\"x\": 1}}",
            // the rest
            "null", "true", "false", "\"\"", "\"emoji \\ud83d\\ude00 and \\u0000\"", "{}", "[]", "{\"$unknownWrapper\": 1}",
            "{\"$numberLong\": 5}", "{\"nested\": {\"$numberDecimal\": \"-0\"}}");

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
