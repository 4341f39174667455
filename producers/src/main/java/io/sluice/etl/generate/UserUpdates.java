package io.sluice.etl.generate;

import org.bson.BsonArray;
import org.bson.BsonDateTime;
import org.bson.BsonDocument;
import org.bson.BsonInt32;
import org.bson.BsonString;

import java.util.SplittableRandom;

/**
 * Deterministic updates of generated users, for the CDC update path: version {@code v} of a user
 * is a pure function of (seed, id, v) and the document it is applied to. An update changes scalars
 * (age, theme, updated_at), shrinks arrays (half of activity_log, the last message, or all posts)
 * and grows others (a transaction, a skill, a post), and every third version removes the nested
 * {@code address} entirely, so the flattener and the sink see rows disappear as well as appear.
 * Usernames and emails never change, so they stay unique.
 */
public final class UserUpdates {

    private static final long DAY_MS = 86_400_000L;

    private final UserGenerator generator;

    public UserUpdates(UserGenerator generator) {
        this.generator = generator;
    }

    /** The document after update number {@code version} (from 1) of {@code current}; {@code current} is not modified. */
    public BsonDocument update(BsonDocument current, int version) {
        if (version < 1) throw new IllegalArgumentException("update versions start at 1, got " + version);
        long id = current.getInt64("_id").getValue();
        SplittableRandom r = generator.random(id, version);
        BsonDocument next = current.clone();
        long created = next.getDateTime("created_at").getValue();
        next.put("updated_at", new BsonDateTime(next.getDateTime("updated_at").getValue() + version * DAY_MS));
        next.put("age", new BsonInt32(next.getInt32("age").getValue() + 1));

        BsonArray activity = next.getArray("activity_log");
        next.put("activity_log", new BsonArray(activity.subList(0, activity.size() / 2)));
        next.getArray("transactions").add(UserGenerator.transaction(r, created));
        BsonArray messages = next.getArray("messages");
        if (!messages.isEmpty()) messages.remove(messages.size() - 1);

        BsonDocument profile = next.getDocument("profile");
        profile.getArray("skills").add(new BsonString("skill-v" + version));
        BsonDocument preferences = next.getDocument("preferences");
        preferences.put("theme", new BsonString(preferences.getString("theme").getValue().equals("dark") ? "light" : "dark"));

        BsonDocument social = next.getDocument("social_media");
        if (version % 2 == 0) {
            social.put("posts", new BsonArray());
        } else {
            social.getArray("posts").add(new BsonDocument()
                    .append("content", new BsonString(Vocabulary.text(r, 60)))
                    .append("likes", new BsonInt32(0))
                    .append("created_at", new BsonDateTime(created + version * DAY_MS)));
        }
        if (version % 3 == 0) next.remove("address");
        return next;
    }
}
