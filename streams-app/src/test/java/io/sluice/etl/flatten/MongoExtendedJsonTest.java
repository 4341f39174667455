package io.sluice.etl.flatten;

import org.bson.BsonDocument;
import org.bson.BsonValue;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MongoExtendedJsonTest {

    @Test
    void strictRelaxedAndCanonicalFormsAllParse() {
        BsonDocument d = MongoExtendedJson.parseDocument("""
                {"a": {"$numberLong": "9007199254740993"}, "b": {"$numberInt": "7"}, "c": {"$numberDouble": "1.5"},
                 "d": {"$numberDecimal": "1234.50"}, "e": {"$oid": "65a1b2c3d4e5f60718293a4b"},
                 "f": {"$date": 1704067200000}, "g": {"$date": "2024-01-01T00:00:00Z"},
                 "h": {"$date": {"$numberLong": "1704067200000"}}, "i": {"$numberDouble": "NaN"}}
                """);
        assertThat(d.getInt64("a").getValue()).isEqualTo(9_007_199_254_740_993L);
        assertThat(d.getInt32("b").getValue()).isEqualTo(7);
        assertThat(d.getDouble("c").getValue()).isEqualTo(1.5);
        assertThat(d.getDecimal128("d").getValue().bigDecimalValue()).isEqualTo(new BigDecimal("1234.50"));
        assertThat(d.getObjectId("e").getValue().toHexString()).isEqualTo("65a1b2c3d4e5f60718293a4b");
        assertThat(d.getDateTime("f")).isEqualTo(d.getDateTime("g")).isEqualTo(d.getDateTime("h"));
        assertThat(d.getDouble("i").getValue()).isNaN();
    }

    @Test
    void keyIdsInTheFormsDebeziumWrites() {
        assertThat(MongoExtendedJson.parseKeyId("42").isInt32()).isTrue();
        assertThat(MongoExtendedJson.parseKeyId("9007199254740993").asInt64().getValue()).isEqualTo(9_007_199_254_740_993L);
        assertThat(MongoExtendedJson.parseKeyId("{\"$numberLong\": \"42\"}").asInt64().getValue()).isEqualTo(42L);
        assertThat(MongoExtendedJson.parseKeyId("{\"$oid\": \"65a1b2c3d4e5f60718293a4b\"}").isObjectId()).isTrue();
    }

    @Test
    void plainJsonForJsonbColumns() {
        BsonValue v = MongoExtendedJson.parseDocument("""
                {"n": {"$numberLong": "5"}, "d": {"$numberDecimal": "0.10"}, "t": {"$date": 0},
                 "o": {"$oid": "65a1b2c3d4e5f60718293a4b"}, "x": [true, null, "s\\"q", 1.25], "nan": {"$numberDouble": "NaN"}}
                """);
        assertThat(MongoExtendedJson.toPlainJson(v)).isEqualTo(
                "{\"n\":5,\"d\":0.10,\"t\":\"1970-01-01T00:00:00Z\",\"o\":\"65a1b2c3d4e5f60718293a4b\","
                        + "\"x\":[true,null,\"s\\\"q\",1.25],\"nan\":\"NaN\"}");
    }

    @Test
    void malformedTextIsUnmappable() {
        assertThatThrownBy(() -> MongoExtendedJson.parseDocument("{\"a\": ")).isInstanceOf(UnmappableDocumentException.class);
        assertThatThrownBy(() -> MongoExtendedJson.parseDocument("[1, 2]")).isInstanceOf(UnmappableDocumentException.class);
        assertThatThrownBy(() -> MongoExtendedJson.parseDocument("{\"a\": {\"$numberLong\": \"x\"}}"))
                .isInstanceOf(UnmappableDocumentException.class);
    }
}
