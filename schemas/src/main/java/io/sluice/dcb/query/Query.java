package io.sluice.dcb.query;

import java.util.List;
import java.util.Objects;

/**
 * A DCB query: the items are combined with OR; a query without items matches every event ("all").
 *
 * @param items the items, any of which matches; empty matches every event
 */
public record Query(List<QueryItem> items) {

    private static final Query ALL = new Query(List.of());

    public Query {
        items = List.copyOf(Objects.requireNonNull(items, "items"));
    }

    /** The query matching every event. */
    public static Query all() {
        return ALL;
    }

    public static Query of(QueryItem... items) {
        return new Query(List.of(items));
    }

    /**
     * True when every event matches: no items, or an item without constraints. The index answers
     * such queries from the last position alone.
     */
    public boolean matchesAll() {
        if (items.isEmpty()) return true;
        for (QueryItem item : items) {
            if (item.matchesAll()) return true;
        }
        return false;
    }
}
