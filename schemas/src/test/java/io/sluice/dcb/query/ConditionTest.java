package io.sluice.dcb.query;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every rule of the append condition, checked against one small log. The same table drives the
 * index test ({@code io.sluice.dcb.index.EventIndexTest}), which must give the same answers.
 */
public class ConditionTest {

    /** 1 A[x], 2 B[x,y], 3 A[y], 4 C[], 5 D[course:c1, student:s1]. */
    public static final List<StoredEvent> LOG = List.of(
            StoredEvent.of(1, "A", "x"),
            StoredEvent.of(2, "B", "x", "y"),
            StoredEvent.of(3, "A", "y"),
            StoredEvent.of(4, "C"),
            StoredEvent.of(5, "D", "course:c1", "student:s1"));

    private static final Long ABSENT = null;

    private static Condition condition(Query query, Long after) {
        return new Condition(query, after == null ? OptionalLong.empty() : OptionalLong.of(after));
    }

    private static Query types(String... types) {
        return Query.of(QueryItem.types(types));
    }

    private static Query tags(String... tags) {
        return Query.of(QueryItem.tags(tags));
    }

    private static Query typeAndTags(String type, String... tags) {
        return Query.of(QueryItem.of(List.of(type), List.of(tags)));
    }

    /** Rows: rule, condition, violated by {@link #LOG}. */
    public static Stream<Arguments> conditions() {
        return Stream.of(
                // `after` absent vs 0 vs N
                arguments("after absent: any matching event fails", condition(types("A"), ABSENT), true),
                arguments("after absent: no matching event passes", condition(types("Z"), ABSENT), false),
                arguments("after 0: every position counts", condition(types("A"), 0L), true),
                arguments("after N: a match after N fails", condition(types("A"), 2L), true),
                arguments("after N: matches only at or before N pass", condition(types("A"), 3L), false),
                arguments("an event at exactly `after` does not count", condition(typeAndTags("A", "y"), 3L), false),
                arguments("an event just after `after` counts", condition(typeAndTags("A", "y"), 2L), true),
                arguments("after beyond the last position passes", condition(Query.all(), 99L), false),
                arguments("after at the last position passes", condition(Query.all(), 5L), false),
                // query all
                arguments("query all, after absent, non-empty log fails", condition(Query.all(), ABSENT), true),
                arguments("query all, after below the last position fails", condition(Query.all(), 4L), true),
                // the matcher's rules, through the condition
                arguments("tags: all required, both present later", condition(tags("x", "y"), 1L), true),
                arguments("tags: all required, only one present later", condition(tags("x", "y"), 2L), false),
                arguments("tags: the single tag present later", condition(tags("y"), 2L), true),
                arguments("tags: any type carries the tag", condition(tags("x"), ABSENT), true),
                arguments("types: one of several types present later", condition(types("Z", "C"), 3L), true),
                arguments("type and tags: tag present only on another type", condition(typeAndTags("C", "x"), ABSENT), false),
                arguments("type and tags: both on one event", condition(typeAndTags("D", "course:c1", "student:s1"), 4L), true),
                arguments("tags compare exactly", condition(tags("course:c"), ABSENT), false),
                arguments("OR: second item matches after `after`",
                        condition(Query.of(QueryItem.types("Z"), QueryItem.tags("y")), 2L), true),
                arguments("OR: no item matches after `after`",
                        condition(Query.of(QueryItem.types("B"), QueryItem.tags("x")), 2L), false),
                arguments("an empty item matches anything after `after`",
                        condition(Query.of(QueryItem.types("Z"), QueryItem.of(List.of(), List.of())), 4L), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditions")
    void conditionIsViolatedExactlyWhenAMatchingEventCounts(String rule, Condition condition, boolean violated) {
        assertThat(condition.isViolatedBy(LOG)).isEqualTo(violated);
    }

    @ParameterizedTest(name = "after {0}: position {1} counts = {2}")
    @CsvSource(nullValues = "absent", value = {
            "absent, 1, true",
            "0,      1, true",
            "5,      5, false",
            "5,      6, true",
            "5,      4, false"})
    void countsOnlyPositionsAfterAfter(Long after, long position, boolean counts) {
        assertThat(condition(Query.all(), after).counts(position)).isEqualTo(counts);
    }

    @Test
    void absentAndZeroMeanTheSameLowerBound() {
        assertThat(condition(Query.all(), ABSENT).lowerBoundExclusive()).isZero();
        assertThat(condition(Query.all(), 0L).lowerBoundExclusive()).isZero();
        assertThat(condition(Query.all(), 7L).lowerBoundExclusive()).isEqualTo(7);
    }

    @Test
    void anEmptyLogViolatesNothing() {
        assertThat(condition(Query.all(), ABSENT).isViolatedBy(List.of())).isFalse();
    }

    @Test
    void negativeAfterIsRefused() {
        assertThatThrownBy(() -> condition(Query.all(), -1L)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("after must be at least 0");
    }
}
