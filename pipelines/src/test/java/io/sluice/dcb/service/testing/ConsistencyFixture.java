package io.sluice.dcb.service.testing;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The random queries and events of the dcb.events consistency scenario: 10 event types, 10 tags,
 * queries of 0–3 items with 0–4 types and 0–3 tags each, appends of 1–2 events whose data records
 * the query and the last matching position the writer saw, and the position in its batch.
 */
public final class ConsistencyFixture {

    private static final int TYPES = 10;
    private static final int TAGS = 10;

    private ConsistencyFixture() {
    }

    public static Map<String, Object> query(Random random) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = between(random, 0, 3); i > 0; i--) {
            items.add(DcbClient.item(pick(random, "Type", TYPES, between(random, 0, 4)),
                    pick(random, "tag", TAGS, between(random, 0, 3))));
        }
        return DcbClient.query(items);
    }

    public static List<Map<String, Object>> events(Random random, Map<String, Object> query, long lastMatchingPosition) {
        List<Map<String, Object>> events = new ArrayList<>();
        int count = between(random, 1, 2);
        for (int i = 0; i < count; i++) {
            String data = DcbClient.write(Map.of("query", query, "lastMatchingEventPosition", lastMatchingPosition,
                    "batchIndex", i));
            events.add(DcbClient.event(pick(random, "Type", TYPES, 1).get(0), pick(random, "tag", TAGS, between(random, 1, 3)),
                    data));
        }
        return events;
    }

    /** The model of a query in the JSON form above. */
    @SuppressWarnings("unchecked")
    public static Query model(Map<String, Object> query) {
        List<QueryItem> items = new ArrayList<>();
        for (Map<String, Object> item : (List<Map<String, Object>>) query.get("items")) {
            items.add(QueryItem.of((List<String>) item.get("types"), (List<String>) item.get("tags")));
        }
        return new Query(items);
    }

    private static List<String> pick(Random random, String prefix, int of, int count) {
        Set<String> picked = new LinkedHashSet<>();
        while (picked.size() < count) picked.add(prefix + random.nextInt(of));
        return List.copyOf(picked);
    }

    private static int between(Random random, int min, int max) {
        return min + random.nextInt(max - min + 1);
    }
}
