package io.sluice.etl.cdc;

import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.generate.UserUpdates;
import org.apache.kafka.connect.source.SourceRecord;
import org.bson.BsonDocument;
import org.bson.BsonInt64;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The change history of a generated users collection, as Debezium reports it: snapshot reads or
 * inserts of new users, updates (each the next {@link UserUpdates} version of the user), deletes with
 * their tombstones. Keeps each live user's current document and version, as MongoDB would, so an
 * update's event carries the real before → after difference. Not thread-safe.
 */
public final class UserChangeFeed {

    private final UserGenerator generator;
    private final UserUpdates updates;
    private final MongoChangeEvents events;
    private final Map<Long, BsonDocument> current = new HashMap<>();
    private final Map<Long, Integer> versions = new HashMap<>();

    public UserChangeFeed(UserGenerator generator, MongoChangeEvents events) {
        this.generator = generator;
        this.updates = new UserUpdates(generator);
        this.events = events;
    }

    public String topic() {
        return events.topic();
    }

    /** Users {@code fromId..toId} (inclusive) as one initial snapshot: read events. */
    public List<SourceRecord> snapshot(long fromId, long toId) {
        return events.snapshot(generateNew(fromId, toId));
    }

    /** Users {@code fromId..toId} (inclusive) inserted one by one: create events. */
    public List<SourceRecord> create(long fromId, long toId) {
        List<SourceRecord> out = new ArrayList<>();
        for (BsonDocument doc : generateNew(fromId, toId)) out.add(events.insert(doc));
        return out;
    }

    /** The next update of live user {@code id}: an update event with the full new document. */
    public SourceRecord update(long id) {
        BsonDocument before = live(id);
        int version = versions.merge(id, 1, Integer::sum);
        BsonDocument after = updates.update(before, version);
        current.put(id, after);
        return events.update(before, after);
    }

    /** The delete of live user {@code id}: the delete event and its tombstone. */
    public List<SourceRecord> delete(long id) {
        live(id);
        current.remove(id);
        versions.remove(id);
        return events.delete(new BsonDocument("_id", new BsonInt64(id)));
    }

    /** The current document of live user {@code id}. */
    public BsonDocument document(long id) {
        return live(id).clone();
    }

    private List<BsonDocument> generateNew(long fromId, long toId) {
        if (fromId < 1 || toId < fromId) throw new IllegalArgumentException("need 1 <= fromId <= toId, got " + fromId + ".." + toId);
        List<BsonDocument> docs = new ArrayList<>((int) Math.min(toId - fromId + 1, 1_000_000));
        for (long id = fromId; id <= toId; id++) {
            if (current.containsKey(id)) throw new IllegalStateException("user " + id + " already exists");
            BsonDocument doc = generator.user(id);
            current.put(id, doc);
            docs.add(doc);
        }
        return docs;
    }

    private BsonDocument live(long id) {
        BsonDocument doc = current.get(id);
        if (doc == null) throw new IllegalStateException("user " + id + " does not exist (never created or already deleted)");
        return doc;
    }
}
