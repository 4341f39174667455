package io.sluice.etl.cdc;

import com.mongodb.client.model.changestream.UpdateDescription;
import org.bson.BsonDocument;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The update description MongoDB's change stream reports for an update that {@code $set}s every
 * changed top-level field to its new value and {@code $unset}s every removed one: the way the
 * users generator's updates are applied to a real MongoDB, so the embedded events match.
 */
final class UpdateDescriptions {

    private UpdateDescriptions() {
    }

    /** What changed from {@code before} to {@code after}, at the top level. */
    static UpdateDescription between(BsonDocument before, BsonDocument after) {
        BsonDocument updated = new BsonDocument();
        for (Map.Entry<String, org.bson.BsonValue> field : after.entrySet()) {
            if (!field.getValue().equals(before.get(field.getKey()))) updated.append(field.getKey(), field.getValue());
        }
        List<String> removed = new ArrayList<>();
        for (String name : before.keySet()) {
            if (!after.containsKey(name)) removed.add(name);
        }
        return new UpdateDescription(removed, updated, List.of());
    }
}
