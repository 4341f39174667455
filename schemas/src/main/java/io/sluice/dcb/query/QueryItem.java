package io.sluice.dcb.query;

import java.util.Collection;
import java.util.Set;

/**
 * One item of a DCB query: an event matches when its type is one of {@link #types} (any type when
 * empty) and its tags include every one of {@link #tags} (any tags when empty). Immutable; the
 * collections are copied into sets because order and duplicates carry no meaning here and
 * {@code contains} must be cheap on the decider's hot path.
 *
 * @param types event types, any of which matches; empty matches every type
 * @param tags  tags that must all be present on the event; empty matches every event
 */
public record QueryItem(Set<String> types, Set<String> tags) {

    public QueryItem {
        types = Names.copyOf(types, "query item type");
        tags = Names.copyOf(tags, "query item tag");
    }

    public static QueryItem of(Collection<String> types, Collection<String> tags) {
        return new QueryItem(Set.copyOf(types), Set.copyOf(tags));
    }

    public static QueryItem types(String... types) {
        return new QueryItem(Set.of(types), Set.of());
    }

    public static QueryItem tags(String... tags) {
        return new QueryItem(Set.of(), Set.of(tags));
    }

    /** True when this item matches every event (no type and no tag constraint). */
    public boolean matchesAll() {
        return types.isEmpty() && tags.isEmpty();
    }
}
