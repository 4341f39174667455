package io.sluice.dcb.service.check;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryMatcher;
import io.sluice.dcb.query.QueryItem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

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

    /**
     * The consistency check of dcb.events over {@code log} (all of it, in position order): the
     * positions are 1..N, and every append's first event records the true last position matching
     * its condition's query, by the query model and by the store's backward read.
     *
     * @return the mismatches, empty when the check passes
     */
    public static List<String> check(DcbClient client, List<DcbClient.ReadEvent> log) {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).position() != i + 1) mismatches.add("position " + log.get(i).position() + " at index " + i);
        }
        AtomicInteger checked = new AtomicInteger();
        for (DcbClient.ReadEvent event : log) {
            String mismatch = verify(client, log, event, checked);
            if (mismatch != null) mismatches.add(mismatch);
        }
        return mismatches;
    }

    /** Null when the event's recorded position is the true one (or it is not first in its append). */
    public static String verify(DcbClient client, List<DcbClient.ReadEvent> log, DcbClient.ReadEvent event, AtomicInteger checked) {
        Map<String, Object> data = DcbClient.parse(event.data(), new TypeReference<>() { });
        if (((Number) data.get("batchIndex")).intValue() != 0) return null;
        @SuppressWarnings("unchecked")
        Map<String, Object> query = (Map<String, Object>) data.get("query");
        long recorded = ((Number) data.get("lastMatchingEventPosition")).longValue();
        Query model = model(query);
        long expected = 0;
        for (DcbClient.ReadEvent e : log) {
            if (e.position() >= event.position()) break;
            if (QueryMatcher.matches(model, e.type(), e.tags())) expected = e.position();
        }
        List<DcbClient.ReadEvent> before = client.read(query, Map.of("from", event.position() - 1, "backwards", true, "limit", 1));
        long stored = before.isEmpty() ? 0 : before.get(0).position();
        checked.incrementAndGet();
        if (recorded == expected && stored == expected) return null;
        return "event " + event.position() + ": recorded " + recorded + ", model says " + expected + ", store says " + stored;
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
