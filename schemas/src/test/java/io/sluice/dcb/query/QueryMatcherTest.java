package io.sluice.dcb.query;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Every matching rule of the DCB query model, one row each. */
class QueryMatcherTest {

    private static QueryItem item(List<String> types, List<String> tags) {
        return QueryItem.of(types, tags);
    }

    static Stream<Arguments> items() {
        return Stream.of(
                // rule: no types and no tags matches every event
                arguments("empty item matches an event without tags", item(List.of(), List.of()), "A", List.of(), true),
                arguments("empty item matches an event with tags", item(List.of(), List.of()), "B", List.of("x", "y"), true),
                // rule: the type must be one of the item's types
                arguments("listed type matches", item(List.of("A"), List.of()), "A", List.of(), true),
                arguments("unlisted type does not match", item(List.of("A"), List.of()), "B", List.of(), false),
                arguments("any of several types matches", item(List.of("A", "B"), List.of()), "B", List.of("x"), true),
                arguments("none of several types", item(List.of("A", "B"), List.of()), "C", List.of("x"), false),
                arguments("types compare exactly (case)", item(List.of("A"), List.of()), "a", List.of(), false),
                // rule: empty types means any type
                arguments("no types: any type with the tag", item(List.of(), List.of("x")), "Z", List.of("x"), true),
                // rule: the event must carry every tag of the item
                arguments("single tag present", item(List.of(), List.of("x")), "A", List.of("x", "y"), true),
                arguments("single tag absent", item(List.of(), List.of("x")), "A", List.of("y"), false),
                arguments("tag on event without tags", item(List.of(), List.of("x")), "A", List.of(), false),
                arguments("all tags present, any order", item(List.of(), List.of("x", "y")), "A", List.of("z", "y", "x"), true),
                arguments("one of two tags missing", item(List.of(), List.of("x", "y")), "A", List.of("x"), false),
                arguments("tags compare exactly (no prefix match)", item(List.of(), List.of("course:c1")), "A",
                        List.of("course:c10"), false),
                arguments("duplicate tags on the event are fine", item(List.of(), List.of("x")), "A", List.of("x", "x"), true),
                // rule: type AND tags
                arguments("type and tags both satisfied", item(List.of("A"), List.of("x")), "A", List.of("x"), true),
                arguments("tags satisfied, type not", item(List.of("A"), List.of("x")), "B", List.of("x"), false),
                arguments("type satisfied, tags not", item(List.of("A"), List.of("x")), "A", List.of("y"), false),
                arguments("type satisfied, event has no tags", item(List.of("A"), List.of("x")), "A", List.of(), false),
                arguments("one of the types and all tags", item(List.of("A", "B"), List.of("x", "y")), "B",
                        List.of("y", "x", "z"), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("items")
    void matchesItem(String rule, QueryItem item, String type, List<String> tags, boolean expected) {
        assertThat(QueryMatcher.matches(item, type, tags)).isEqualTo(expected);
        assertThat(QueryMatcher.matches(new Query(List.of(item)), type, tags))
                .as("a query of one item matches exactly when the item does").isEqualTo(expected);
    }

    static Stream<Arguments> queries() {
        QueryItem typeA = QueryItem.types("A");
        QueryItem tagX = QueryItem.tags("x");
        QueryItem typeBTagY = item(List.of("B"), List.of("y"));
        return Stream.of(
                // rule: a query without items matches all events
                arguments("no items matches an event without tags", Query.all(), "A", List.of(), true),
                arguments("no items matches any type and tags", Query.all(), "Q", List.of("x", "y"), true),
                // rule: items are combined with OR
                arguments("first item matches", Query.of(typeA, tagX), "A", List.of(), true),
                arguments("second item matches", Query.of(typeA, tagX), "B", List.of("x"), true),
                arguments("both items match", Query.of(typeA, tagX), "A", List.of("x"), true),
                arguments("no item matches", Query.of(typeA, tagX), "B", List.of("y"), false),
                arguments("third of three items", Query.of(typeA, tagX, typeBTagY), "B", List.of("y"), true),
                arguments("OR does not mix items: B from one, x from another", Query.of(typeBTagY, tagX), "B", List.of("z"), false),
                arguments("an empty item in a query matches everything", Query.of(typeA, QueryItem.of(List.of(), List.of())),
                        "Z", List.of(), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queries")
    void matchesQuery(String rule, Query query, String type, List<String> tags, boolean expected) {
        assertThat(QueryMatcher.matches(query, type, tags)).isEqualTo(expected);
    }

    @Test
    void queriesThatMatchEverythingSayTheyDo() {
        assertThat(Query.all().matchesAll()).isTrue();
        assertThat(Query.of(QueryItem.types("A"), new QueryItem(Set.of(), Set.of())).matchesAll()).isTrue();
        assertThat(Query.of(QueryItem.types("A"), QueryItem.tags("x")).matchesAll()).isFalse();
    }

    @Test
    void blankTypesAndTagsAreRefused() {
        assertThatThrownBy(() -> QueryItem.of(List.of(" "), List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query item type");
        assertThatThrownBy(() -> QueryItem.of(List.of(), List.of(""))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("query item tag");
        assertThatThrownBy(() -> NewEvent.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StoredEvent.of(0, "A")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
