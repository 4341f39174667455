package io.sluice.cli.etl;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import io.sluice.etl.generate.UserGenerator;
import io.sluice.etl.generate.UserUpdates;
import org.bson.BsonDocument;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies a {@link UserChangePlan} to a real MongoDB collection {@code <db>.users}, for the Debezium
 * connector to capture: users inserted with {@code insertMany} in batches, each update a
 * {@code replaceOne} of the whole document (Debezium's {@code change_streams_update_full} then delivers
 * the full document), each delete a {@code deleteOne}. The documents are the generator's, so a pipeline
 * fed this way ends with the same tables as one fed by {@code generate-users} without MongoDB.
 * Not idempotent: inserting ids that exist fails with a duplicate-key error.
 */
final class MongoUsersWriter {

    private static final int INSERT_BATCH = 1_000;

    /** What was written. */
    record Counts(long inserted, long replaced, long deleted) {
    }

    private MongoUsersWriter() {
    }

    static Counts write(String mongoUrl, String database, UserChangePlan plan, UserGenerator generator) {
        try (MongoClient client = MongoClients.create(mongoUrl)) {
            MongoCollection<BsonDocument> users = client.getDatabase(database).getCollection("users", BsonDocument.class);
            long inserted = 0;
            List<BsonDocument> batch = new ArrayList<>(INSERT_BATCH);
            for (long id = 1; id <= plan.users(); id++) {
                batch.add(generator.user(id));
                if (batch.size() == INSERT_BATCH || id == plan.users()) {
                    inserted += users.insertMany(batch).getInsertedIds().size();
                    batch.clear();
                }
            }
            UserUpdates updates = new UserUpdates(generator);
            long replaced = 0;
            for (long id : plan.updatedIds()) {
                BsonDocument next = updates.update(generator.user(id), 1);
                replaced += users.replaceOne(Filters.eq("_id", id), next).getModifiedCount();
            }
            long deleted = 0;
            for (long id : plan.deletedIds()) deleted += users.deleteOne(Filters.eq("_id", id)).getDeletedCount();
            return new Counts(inserted, replaced, deleted);
        }
    }
}
