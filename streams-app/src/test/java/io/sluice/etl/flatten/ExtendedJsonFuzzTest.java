package io.sluice.etl.flatten;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.bson.BsonDocument;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A user document's extended JSON comes from MongoDB through Debezium, but a topic can carry anything.
 * Invariants: the flattener's reader parses a document or throws {@link UnmappableDocumentException}
 * (a dead letter), never another exception or an Error; and its fast path is MongoDB's own reader or
 * nothing: where it answers, the answer is what {@code BsonDocument.parse} gives, for the text and for
 * the same text as UTF-8 bytes.
 */
class ExtendedJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] utf8) {
        String json = new String(utf8, StandardCharsets.UTF_8);
        BsonDocument parsed;
        try {
            parsed = MongoExtendedJson.parseDocument(utf8, 0, utf8.length);
        } catch (UnmappableDocumentException expected) {
            parsed = null;
        }
        BsonDocument fast = FastExtendedJson.parseOrNull(json);
        if (fast != null) {
            assertEquals(BsonDocument.parse(json), fast, "the fast path must give what MongoDB's reader gives");
            assertEquals(fast, parsed);
        }
    }
}
