package io.sluice.dcb.index;

import io.sluice.dcb.query.Condition;
import io.sluice.dcb.query.ConditionTest;
import io.sluice.dcb.query.NewEvent;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.ReferenceEventStore;
import io.sluice.dcb.query.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The index must answer every condition exactly as the linear-scan definition
 * ({@link Condition#isViolatedBy(Iterable)}) does: the condition table, then randomized logs and
 * queries, on both store types.
 */
class EventIndexTest {

    @TempDir
    Path stateDir;

    private IndexStores stores;

    @AfterEach
    void close() {
        if (stores != null) stores.close();
    }

    private EventIndex index(boolean rocksDb) {
        stores = new IndexStores(rocksDb, stateDir);
        return stores.newIndex();
    }

    static Stream<Arguments> conditionTableOnBothStores() {
        return ConditionTest.conditions().flatMap(row -> Stream.of(true, false).map(rocksDb -> {
            Object[] args = row.get();
            return arguments(args[0] + (rocksDb ? " [rocksdb]" : " [in-memory]"), args[1], args[2], rocksDb);
        }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conditionTableOnBothStores")
    void answersTheConditionTable(String rule, Condition condition, boolean violated, boolean rocksDb) {
        EventIndex index = index(rocksDb);
        for (StoredEvent event : ConditionTest.LOG) {
            assertThat(index.append(List.of(new NewEvent(event.type(), event.tags())))).isEqualTo(event.position());
        }
        assertThat(index.isViolated(condition)).isEqualTo(violated);
    }

    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {true, false})
    void agreesWithTheLinearScanOnRandomLogsAndQueries(boolean rocksDb) {
        EventIndex index = index(rocksDb);
        ReferenceEventStore reference = new ReferenceEventStore();
        Random random = new Random(20250601);
        int checks = 0;
        int violations = 0;
        for (int round = 0; round < 60; round++) {
            int appends = 1 + random.nextInt(8);
            for (int i = 0; i < appends; i++) {
                NewEvent event = randomEvent(random);
                reference.append(List.of(event), null);
                index.append(List.of(event));
            }
            for (int q = 0; q < 80; q++) {
                Condition condition = randomCondition(random, reference.lastPosition());
                boolean expected = condition.isViolatedBy(reference.events());
                assertThat(index.isViolated(condition)).as("%s after %d events", condition, reference.lastPosition())
                        .isEqualTo(expected);
                checks++;
                if (expected) violations++;
            }
        }
        // Both answers must be well represented, or the comparison proves little.
        assertThat(violations).isBetween(checks / 5, checks * 4 / 5);
    }

    @Test
    void positionsStartAtOneAndEventsReadBack() {
        EventIndex index = index(true);
        assertThat(index.lastPosition()).isZero();
        assertThat(index.append(List.of(NewEvent.of("A", "x", "y")))).isEqualTo(1);
        assertThat(index.append(List.of(NewEvent.of("B"), NewEvent.of("C", "x")))).isEqualTo(2);
        assertThat(index.lastPosition()).isEqualTo(3);
        assertThat(index.event(1)).contains(StoredEvent.of(1, "A", "x", "y"));
        assertThat(index.event(2)).contains(StoredEvent.of(2, "B"));
        assertThat(index.event(3)).contains(StoredEvent.of(3, "C", "x"));
        assertThat(index.event(4)).isEmpty();
    }

    @Test
    void aTagGivenTwiceIsIndexedOnce() {
        EventIndex index = index(false);
        index.append(List.of(NewEvent.of("A", "x", "x")));
        assertThat(index.isViolated(Condition.failIfAny(Query.of(QueryItem.tags("x"))))).isTrue();
        assertThat(index.isViolated(Condition.failIfAnyAfter(Query.of(QueryItem.tags("x")), 1))).isFalse();
    }

    @Test
    void keysThatArePrefixesOfOthersStayApart() {
        EventIndex index = index(true);
        index.append(List.of(NewEvent.of("Course", "course:c10"), NewEvent.of("Course", "course:c1", "student:s"),
                NewEvent.of("CourseDefined", "course:c1")));
        Query c1Course = Query.of(QueryItem.of(List.of("Course"), List.of("course:c1", "student:s")));
        assertThat(index.isViolated(Condition.failIfAnyAfter(c1Course, 1))).isTrue();
        assertThat(index.isViolated(Condition.failIfAnyAfter(c1Course, 2))).isFalse();
        Query c10 = Query.of(QueryItem.of(List.of("CourseDefined"), List.of("course:c10")));
        assertThat(index.isViolated(Condition.failIfAny(c10))).isFalse();
    }

    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {true, false})
    void anIndexStoreThatIsBehindCatchesUpFromTheLog(boolean rocksDb) {
        stores = new IndexStores(rocksDb, stateDir);
        var events = stores.eventsStore("events");
        var sequence = stores.sequenceStore("sequence");
        EventIndex first = EventIndex.open(stores.indexStore("index-1"), events, sequence);
        for (StoredEvent event : ConditionTest.LOG.subList(0, 2)) first.append(List.of(new NewEvent(event.type(), event.tags())));
        // A second index store that saw the first two events only, then the log moves on without it.
        var partial = stores.indexStore("index-2");
        EventIndex.open(partial, events, sequence);
        for (StoredEvent event : ConditionTest.LOG.subList(2, ConditionTest.LOG.size())) {
            first.append(List.of(new NewEvent(event.type(), event.tags())));
        }
        EventIndex caughtUp = EventIndex.open(partial, events, sequence);
        assertThat(caughtUp.watermark()).isEqualTo(ConditionTest.LOG.size());
        assertAnswersTheConditionTable(caughtUp);
        // An empty index store (a new machine, an in-memory store) is rebuilt from scratch.
        assertAnswersTheConditionTable(EventIndex.open(stores.indexStore("index-3"), events, sequence));
    }

    @ParameterizedTest(name = "rocksdb={0}")
    @ValueSource(booleans = {true, false})
    void anIndexStoreAheadOfTheLogIsRebuilt(boolean rocksDb) {
        stores = new IndexStores(rocksDb, stateDir);
        var index = stores.indexStore("index");
        // The index saw appends of a log that was then rolled back and decided differently.
        EventIndex rolledBack = EventIndex.open(index, stores.eventsStore("events-old"), stores.sequenceStore("sequence-old"));
        rolledBack.append(List.of(NewEvent.of("Gone", "gone"), NewEvent.of("Gone", "gone"), NewEvent.of("Gone", "gone"),
                NewEvent.of("Gone", "gone"), NewEvent.of("Gone", "gone"), NewEvent.of("Gone", "gone")));
        var events = stores.eventsStore("events");
        var sequence = stores.sequenceStore("sequence");
        EventIndex log = EventIndex.open(stores.indexStore("scratch"), events, sequence);
        for (StoredEvent event : ConditionTest.LOG) log.append(List.of(new NewEvent(event.type(), event.tags())));

        EventIndex rebuilt = EventIndex.open(index, events, sequence);
        assertThat(rebuilt.watermark()).isEqualTo(ConditionTest.LOG.size());
        assertThat(rebuilt.isViolated(Condition.failIfAny(Query.of(QueryItem.tags("gone"))))).isFalse();
        assertAnswersTheConditionTable(rebuilt);
    }

    private static void assertAnswersTheConditionTable(EventIndex index) {
        ConditionTest.conditions().forEach(row -> {
            Object[] args = row.get();
            assertThat(index.isViolated((Condition) args[1])).as((String) args[0]).isEqualTo(args[2]);
        });
    }

    private static final List<String> TYPES = List.of("A", "B", "C", "D");
    private static final List<String> TAGS = List.of("t0", "t1", "t2", "t3", "t4", "t5");

    private static NewEvent randomEvent(Random random) {
        List<String> tags = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) tags.add(TAGS.get(random.nextInt(TAGS.size())));
        return new NewEvent(TYPES.get(random.nextInt(TYPES.size())), tags);
    }

    private static Condition randomCondition(Random random, long lastPosition) {
        List<QueryItem> items = new ArrayList<>();
        // Mostly one or two items; sometimes none (query all).
        int itemCount = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(2);
        for (int i = 0; i < itemCount; i++) {
            items.add(QueryItem.of(pick(random, TYPES, random.nextInt(3)), pick(random, TAGS, random.nextInt(3))));
        }
        OptionalLong after = random.nextInt(8) == 0 ? OptionalLong.empty()
                : OptionalLong.of(Math.max(0, lastPosition - random.nextInt(12)));
        return new Condition(new Query(items), after);
    }

    private static List<String> pick(Random random, List<String> from, int count) {
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < count; i++) picked.add(from.get(random.nextInt(from.size())));
        return picked;
    }
}
