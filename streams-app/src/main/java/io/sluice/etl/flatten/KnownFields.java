package io.sluice.etl.flatten;

import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonValue;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The fields of a user document that {@link UserFlattener} maps, as a tree, for the
 * {@link UnknownFields#DLQ} policy. A field whose whole value goes to a jsonb column (coordinates,
 * interests, skills, the extra settings, large_data) takes any content. Keep in step with
 * {@link UserFlattener}: {@code FlattenerUnknownFieldsTest} checks that generated users have no unknown field.
 */
final class KnownFields {

    /** A field's shape: ANY takes any value; otherwise a nested document (or array of documents) with these fields. */
    private record Shape(Map<String, Shape> fields) {
    }

    private static final Shape ANY = new Shape(null);

    private static Shape of(Object... keysAndShapes) {
        Map<String, Shape> fields = new LinkedHashMap<>();
        for (int i = 0; i < keysAndShapes.length; i++) {
            if (keysAndShapes[i] instanceof String key) {
                boolean nested = i + 1 < keysAndShapes.length && keysAndShapes[i + 1] instanceof Shape;
                fields.put(key, nested ? (Shape) keysAndShapes[++i] : ANY);
            }
        }
        return new Shape(Map.copyOf(fields));
    }

    private static final Shape USER = of(
            "_id", "username", "email", "first_name", "last_name", "age", "created_at", "updated_at",
            "address", of("street", "city", "state", "zip", "country", "coordinates"),
            "profile", of("bio", "avatar", "interests", "skills",
                    "education", of("institution", "degree", "field", "start_year", "end_year"),
                    "experience", of("company", "title", "start_date", "end_date", "description")),
            // every settings field other than privacy and two_factor goes to the jsonb column: none is unknown
            "preferences", of("theme", "language", "notifications", of("email", "push", "sms"), "settings"),
            "activity_log", of("action", "ip", "timestamp"),
            "transactions", of("amount", "currency", "status", "timestamp"),
            "messages", of("from", "to", "subject", "body", "sent_at",
                    "attachments", of("filename", "size", "mime_type")),
            "social_media", of("twitter", "linkedin", "github",
                    "posts", of("content", "likes", "created_at"),
                    "groups", of("name", "role", "joined_at")),
            "large_data");

    private KnownFields() {
    }

    /** @throws UnknownFieldException naming the first field (in document order) the mapping does not know */
    static void requireKnown(BsonDocument user) {
        check(user, USER, "");
    }

    private static void check(BsonDocument doc, Shape shape, String path) {
        for (Map.Entry<String, BsonValue> e : doc.entrySet()) {
            String at = DocumentFields.at(path, e.getKey());
            Shape field = shape.fields().get(e.getKey());
            if (field == null) throw new UnknownFieldException(at);
            if (field != ANY) checkNested(e.getValue(), field, at);
        }
    }

    // Values of a wrong type are the mapping's to refuse, with its own message; only documents are walked.
    private static void checkNested(BsonValue value, Shape shape, String path) {
        if (value.isDocument()) {
            check(value.asDocument(), shape, path);
        } else if (value.isArray()) {
            BsonArray array = value.asArray();
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isDocument()) check(array.get(i).asDocument(), shape, path + "[" + i + "]");
            }
        }
    }
}
