package io.sluice.dcb.query;

import java.util.Collection;

/**
 * Decides whether one event matches a query, the rule every other part of the store (the
 * decider's index, the reference store, later the read side) must agree with:
 * an event matches an item when its type is one of the item's types (any type when there are none)
 * AND its tags include all of the item's tags; it matches a query when it matches any item, and
 * every event matches a query without items.
 */
public final class QueryMatcher {

    private QueryMatcher() {
    }

    public static boolean matches(Query query, String type, Collection<String> tags) {
        if (query.items().isEmpty()) return true;
        for (QueryItem item : query.items()) {
            if (matches(item, type, tags)) return true;
        }
        return false;
    }

    public static boolean matches(QueryItem item, String type, Collection<String> tags) {
        if (!item.types().isEmpty() && !item.types().contains(type)) return false;
        // Events carry a handful of tags, so containsAll on the event's list beats building a set.
        for (String required : item.tags()) {
            if (!tags.contains(required)) return false;
        }
        return true;
    }

    public static boolean matches(Query query, StoredEvent event) {
        return matches(query, event.type(), event.tags());
    }
}
