package io.sluice.dcb.query;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The append and read rules on the reference store. */
class ReferenceEventStoreTest {

    private ReferenceEventStore store;

    @BeforeEach
    void fill() {
        store = new ReferenceEventStore();
        // positions 1..6: A[x] B[x] A[y] B[y] A[x,y] C[]
        store.append(List.of(NewEvent.of("A", "x"), NewEvent.of("B", "x")), null);
        store.append(List.of(NewEvent.of("A", "y")), null);
        store.append(List.of(NewEvent.of("B", "y"), NewEvent.of("A", "x", "y"), NewEvent.of("C")), null);
    }

    @Test
    void positionsStartAtOneAndAreConsecutivePerAppend() {
        assertThat(store.events()).extracting(StoredEvent::position).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(store.append(List.of(NewEvent.of("D"), NewEvent.of("D")), null))
                .contains(new ReferenceEventStore.Positions(7, 8));
    }

    @Test
    void aFailedConditionAppendsNothing() {
        assertThat(store.append(List.of(NewEvent.of("D"), NewEvent.of("E")), Condition.failIfAnyAfter(Query.of(QueryItem.types("C")), 5)))
                .isEmpty();
        assertThat(store.lastPosition()).isEqualTo(6);
        assertThat(store.append(List.of(NewEvent.of("D")), Condition.failIfAnyAfter(Query.of(QueryItem.types("C")), 6)))
                .contains(new ReferenceEventStore.Positions(7, 7));
    }

    @Test
    void anEmptyAppendIsAnError() {
        assertThatThrownBy(() -> store.append(List.of(), null)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> reads() {
        Query typeA = Query.of(QueryItem.types("A"));
        return Stream.of(
                arguments("all, forwards", Query.all(), ReadOptions.forwards(), List.of(1L, 2L, 3L, 4L, 5L, 6L)),
                arguments("matching only, in position order", typeA, ReadOptions.forwards(), List.of(1L, 3L, 5L)),
                arguments("from is inclusive", typeA, ReadOptions.forwards().withFrom(3), List.of(3L, 5L)),
                arguments("from between matches", typeA, ReadOptions.forwards().withFrom(4), List.of(5L)),
                arguments("from 0 reads everything", typeA, ReadOptions.forwards().withFrom(0), List.of(1L, 3L, 5L)),
                arguments("from past the end reads nothing", typeA, ReadOptions.forwards().withFrom(7), List.of()),
                arguments("limit", Query.all(), ReadOptions.forwards().withLimit(2), List.of(1L, 2L)),
                arguments("limit counts matching events only", typeA, ReadOptions.forwards().withLimit(2), List.of(1L, 3L)),
                arguments("backwards", typeA, ReadOptions.forwards().inReverse(), List.of(5L, 3L, 1L)),
                arguments("backwards from is inclusive", typeA, ReadOptions.forwards().inReverse().withFrom(3), List.of(3L, 1L)),
                arguments("backwards with limit", Query.all(), ReadOptions.forwards().inReverse().withLimit(2), List.of(6L, 5L)),
                arguments("tags must all be present", Query.of(QueryItem.tags("x", "y")), ReadOptions.forwards(), List.of(5L)),
                arguments("OR of items", Query.of(QueryItem.types("C"), QueryItem.tags("y")), ReadOptions.forwards(),
                        List.of(3L, 4L, 5L, 6L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reads")
    void readsMatchingEventsInOrder(String rule, Query query, ReadOptions options, List<Long> positions) {
        assertThat(store.read(query, options)).extracting(StoredEvent::position).containsExactlyElementsOf(positions);
    }

    @Test
    void readOptionsAreValidated() {
        assertThatThrownBy(() -> ReadOptions.forwards().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReadOptions.forwards().withFrom(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
