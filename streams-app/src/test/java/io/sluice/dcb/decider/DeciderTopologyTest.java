package io.sluice.dcb.decider;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.dcb.index.EventIndex;
import io.sluice.dcb.query.NewEvent;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.dcb.EventData;
import io.sluice.schemas.dcb.QueryItem;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;
import java.util.List;

import static io.sluice.dcb.decider.CommandFixtures.append;
import static io.sluice.dcb.decider.CommandFixtures.conditional;
import static io.sluice.dcb.decider.CommandFixtures.event;
import static io.sluice.dcb.decider.CommandFixtures.failIf;
import static io.sluice.dcb.decider.CommandFixtures.item;
import static io.sluice.dcb.decider.CommandFixtures.keyed;
import static io.sluice.dcb.decider.CommandFixtures.retry;
import static io.sluice.dcb.decider.CommandFixtures.tags;
import static io.sluice.dcb.decider.CommandFixtures.types;
import static org.assertj.core.api.Assertions.assertThat;

/** The decider topology in a TopologyTestDriver, with the application's settings and real serdes. */
class DeciderTopologyTest {

    @TempDir
    Path stateDir;

    private DeciderDriver decider;

    private DeciderDriver start(StoreType storeType) {
        decider = new DeciderDriver(stateDir, storeType);
        return decider;
    }

    @AfterEach
    void close() {
        if (decider != null) decider.close();
    }

    @Test
    void positionsStartAtOneAndIncrease() {
        start(StoreType.ROCKSDB);
        AppendResult first = decider.send(append("r1", event("CourseDefined", "course:c1")));
        assertThat(first.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(first.getFirstPosition()).isEqualTo(1);
        assertThat(first.getLastPosition()).isEqualTo(1);
        assertThat(first.getError()).isNull();
        assertThat(first.getDecidedAt()).isEqualTo(DeciderDriver.WALL_CLOCK);

        decider.send(append("r2", event("A"), event("B")));
        decider.send(append("r3", event("C")));
        assertThat(decider.allEvents()).extracting(Event::getPosition).containsExactly(1L, 2L, 3L, 4L);
        Event event = decider.allEvents().get(0);
        assertThat(event.getType()).isEqualTo("CourseDefined");
        assertThat(event.getTags()).containsExactly("course:c1");
        assertThat(event.getData()).isEqualTo("{\"n\":1}");
        assertThat(event.getRequestId()).isEqualTo("r1");
        assertThat(event.getAppendedAt()).isEqualTo(DeciderDriver.WALL_CLOCK);
    }

    @Test
    void anAppendWhoseConditionMatchesALaterEventFailsAndWritesNothing() {
        start(StoreType.ROCKSDB);
        decider.send(append("r1", event("CourseDefined", "course:c1")));
        decider.send(append("r2", event("StudentSubscribed", "course:c1", "student:s1")));

        AppendResult failed = decider.send(conditional("r3", failIf(1L, item(List.of("StudentSubscribed"), List.of("course:c1"))),
                event("StudentSubscribed", "course:c1", "student:s2"), event("CourseCapacityChanged", "course:c1")));
        assertThat(failed.getOutcome()).isEqualTo(AppendOutcome.CONDITION_FAILED);
        assertThat(failed.getFirstPosition()).isNull();
        assertThat(failed.getLastPosition()).isNull();
        assertThat(failed.getError()).isNull();
        assertThat(decider.lastEvents()).isEmpty();

        // The failed command took no positions.
        assertThat(decider.send(append("r4", event("X"))).getFirstPosition()).isEqualTo(3);
    }

    @Test
    void anAppendWithAfterAtTheLatestMatchingPositionSucceeds() {
        start(StoreType.ROCKSDB);
        decider.send(append("r1", event("StudentSubscribed", "course:c1", "student:s1")));
        decider.send(append("r2", event("StudentSubscribed", "course:c2", "student:s1")));
        // The latest event matching is at 1; events at exactly `after` do not count, nor do later non-matching ones.
        AppendResult ok = decider.send(conditional("r3", failIf(1L, item(List.of("StudentSubscribed"), List.of("course:c1"))),
                event("StudentSubscribed", "course:c1", "student:s2")));
        assertThat(ok.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(ok.getFirstPosition()).isEqualTo(3);
        // ...and the same condition now fails, because of the event just appended.
        assertThat(decider.send(conditional("r4", failIf(1L, item(List.of("StudentSubscribed"), List.of("course:c1"))),
                event("X"))).getOutcome()).isEqualTo(AppendOutcome.CONDITION_FAILED);
    }

    @Test
    void conditionsWithoutAfterOrWithoutItemsFollowTheRules() {
        start(StoreType.IN_MEMORY);
        assertThat(decider.send(conditional("r1", failIf(null, tags("course:c1")), event("CourseDefined", "course:c1")))
                .getOutcome()).as("no matching event yet").isEqualTo(AppendOutcome.APPENDED);
        assertThat(decider.send(conditional("r2", failIf(null, tags("course:c1")), event("CourseDefined", "course:c1")))
                .getOutcome()).as("after absent: any matching event counts").isEqualTo(AppendOutcome.CONDITION_FAILED);
        assertThat(decider.send(conditional("r3", failIf(0L, types("CourseDefined")), event("Y")))
                .getOutcome()).as("after 0 counts position 1").isEqualTo(AppendOutcome.CONDITION_FAILED);
        assertThat(decider.send(conditional("r4", failIf(1L), event("Y"))).getOutcome())
                .as("an empty query matches all events; none after 1").isEqualTo(AppendOutcome.APPENDED);
        assertThat(decider.send(conditional("r5", failIf(1L), event("Z"))).getOutcome())
                .as("an empty query matches the event at 2").isEqualTo(AppendOutcome.CONDITION_FAILED);
    }

    @Test
    void multiEventAppendsAreAtomicAndGetConsecutivePositions() {
        start(StoreType.ROCKSDB);
        decider.send(append("r1", event("A", "t"), event("B", "t"), event("C", "t")));
        assertThat(decider.lastEvents()).extracting(Event::getPosition).containsExactly(1L, 2L, 3L);
        assertThat(decider.lastEvents()).extracting(Event::getRequestId).containsOnly("r1");

        decider.send(conditional("r2", failIf(2L, tags("t")), event("D"), event("E")));
        assertThat(decider.lastEvents()).as("a failed multi-event append writes none of its events").isEmpty();

        AppendResult third = decider.send(append("r3", event("D"), event("E")));
        assertThat(third.getFirstPosition()).isEqualTo(4);
        assertThat(third.getLastPosition()).isEqualTo(5);
        assertThat(decider.lastEvents()).extracting(Event::getType).containsExactly("D", "E");
        // Conditions see the events of an earlier multi-event append, each one indexed.
        assertThat(decider.send(conditional("r4", failIf(4L, types("E")), event("F"))).getOutcome())
                .isEqualTo(AppendOutcome.CONDITION_FAILED);
    }

    @Test
    void aRetryUnderTheSameIdempotencyKeyReturnsTheFirstResultWithoutNewEvents() {
        start(StoreType.ROCKSDB);
        AppendCommand subscribe = keyed(conditional("r1", failIf(0L, tags("student:s1")),
                event("StudentSubscribed", "course:c1", "student:s1"), event("X")), "idem-1");
        AppendResult first = decider.send(subscribe);
        assertThat(first.getOutcome()).isEqualTo(AppendOutcome.APPENDED);

        AppendResult replay = decider.send(retry(subscribe, "r1-retry"));
        assertThat(replay.getRequestId()).isEqualTo("r1-retry");
        assertThat(replay.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
        assertThat(replay.getFirstPosition()).isEqualTo(1);
        assertThat(replay.getLastPosition()).isEqualTo(2);
        assertThat(replay.getDecidedAt()).isEqualTo(first.getDecidedAt());
        assertThat(decider.lastEvents()).isEmpty();
        assertThat(decider.send(append("r2", event("Y"))).getFirstPosition()).as("no positions taken by the replay").isEqualTo(3);
    }

    @Test
    void aConditionFailureIsRememberedAndAReusedKeyForAnotherAppendIsRejected() {
        start(StoreType.IN_MEMORY);
        decider.send(append("r1", event("A")));
        AppendCommand failing = keyed(conditional("r2", failIf(null, types("A")), event("B")), "idem-2");
        assertThat(decider.send(failing).getOutcome()).isEqualTo(AppendOutcome.CONDITION_FAILED);
        assertThat(decider.send(retry(failing, "r2-retry")).getOutcome()).isEqualTo(AppendOutcome.CONDITION_FAILED);

        AppendResult reused = decider.send(keyed(append("r3", event("C")), "idem-2"));
        assertThat(reused.getOutcome()).isEqualTo(AppendOutcome.REJECTED);
        assertThat(reused.getError()).contains("idem-2").contains("different append");
        assertThat(decider.lastEvents()).isEmpty();
    }

    @Test
    void theStoreContentsDriveTheDecision() {
        start(StoreType.ROCKSDB);
        var driver = decider.driver();
        EventIndex seeded = EventIndex.open(driver.getKeyValueStore(DeciderStores.INDEX),
                driver.getKeyValueStore(DeciderStores.EVENTS_BY_POSITION), driver.getKeyValueStore(DeciderStores.SEQUENCE));
        // An event put straight into the stores, never seen on any topic, decides the next command.
        assertThat(seeded.append(List.of(NewEvent.of("CourseDefined", "course:seeded")))).isEqualTo(1);

        assertThat(decider.send(conditional("r1", failIf(0L, tags("course:seeded")), event("X"))).getOutcome())
                .isEqualTo(AppendOutcome.CONDITION_FAILED);
        assertThat(decider.send(append("r2", event("Y"))).getFirstPosition()).isEqualTo(2);
    }

    @Test
    void invalidCommandsAreRejectedWithAReasonAndTakeNoPositions() {
        start(StoreType.ROCKSDB);
        assertRejected(decider.send(append("r1")), "at least one event");
        assertRejected(decider.send(append("r2", event("A"), event(""))), "events[1].type is empty");
        assertRejected(decider.send(append("r3", event("A", "ok", " "))), "events[0].tags[1] is empty");
        assertRejected(decider.send(conditional("r4", failIf(-1L, types("A")), event("A"))), "condition.after must be at least 0");
        assertRejected(decider.send(conditional("r5", failIf(0L, types("")), event("A"))),
                "condition.fail_if_events_match.items[0].types[0] is empty");
        assertRejected(decider.send("not-dcb", append("r6", event("A"))), "command key must be 'dcb'");
        assertRejected(decider.send(keyed(append("r7", event("A")), "")), "idempotency_key is empty");
        assertThat(decider.allEvents()).isEmpty();
        assertThat(decider.send(append("r8", event("A"))).getFirstPosition()).isEqualTo(1);
    }

    @Test
    void commandsOverALimitOrWithTextPostgresCannotStoreAreRejectedAndTakeNoPositions() {
        // as a producer other than the API could send them: the decider must not sequence what the sink cannot store
        start(StoreType.ROCKSDB);
        assertRejected(decider.send(append("n1", event("A\u0000"))), "events[0].type contains U+0000");
        assertRejected(decider.send(append("n2", event("A", "ok", "t\u0000"))), "events[0].tags[1] contains U+0000");
        assertRejected(decider.send(append("n3", new EventData("A", List.of(), "{\"k\":\"\u0000\"}"))),
                "events[0].data contains U+0000, which PostgreSQL text cannot store");
        assertRejected(decider.send(append("l1", IntStream.range(0, 101).mapToObj(i -> event("A")).toArray(EventData[]::new))),
                "events holds 101 events, more than the limit of 100 (--max-events-per-append raises it)");
        assertRejected(decider.send(append("l1b", IntStream.range(0, 11).mapToObj(i -> event("A", numbered("t", 91)))
                .toArray(EventData[]::new))), "events hold 1001 tags together, more than the limit of 1000 (--max-tags-per-append");
        assertRejected(decider.send(append("l2", event("A", numbered("t", 101)))),
                "events[0].tags holds 101 tags, more than the limit of 100 (--max-tags-per-event raises it)");
        assertRejected(decider.send(append("l3", event("x".repeat(257)))), "events[0].type is 257 bytes long");
        assertRejected(decider.send(conditional("l4", failIf(0L, IntStream.range(0, 101).mapToObj(i -> types("A"))
                .toArray(QueryItem[]::new)), event("A"))), "--max-query-items");
        assertRejected(decider.send(conditional("l5", failIf(0L, tags(numbered("t", 101))), event("A"))),
                "condition.fail_if_events_match.items[0].tags holds 101 tags");
        assertRejected(decider.send(conditional("l6", failIf(0L, types(numbered("T", 101))), event("A"))), "--max-types-per-item");

        // the 100,000 tags kept the decider busy for 30 s; refused before any work on them
        long started = System.nanoTime();
        assertRejected(decider.send(append("l7", event("A", numbered("t", 100_000)))), "--max-tags-per-event");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

        assertThat(decider.allEvents()).isEmpty();
        assertThat(decider.send(append("ok", event("A", numbered("t", 100)))).getFirstPosition()).isEqualTo(1);
    }

    private static String[] numbered(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toArray(String[]::new);
    }

    private static void assertRejected(AppendResult result, String reason) {
        assertThat(result.getOutcome()).isEqualTo(AppendOutcome.REJECTED);
        assertThat(result.getError()).contains(reason);
        assertThat(result.getFirstPosition()).isNull();
    }

    @Test
    void anUndeserializableCommandGoesToTheDlqAndTheDeciderCarriesOn() {
        // At-least-once here only because of the driver's mock producer (see DeciderDriver); DeciderIT
        // shows the DLQ under exactly-once against the real broker.
        decider = new DeciderDriver(stateDir, StoreType.ROCKSDB, false);
        byte[] garbage = "{\"not\":\"avro\"}".getBytes(StandardCharsets.UTF_8);
        decider.sendRaw("dcb".getBytes(StandardCharsets.UTF_8), garbage);
        assertThat(decider.noResultsPending()).isTrue();
        assertThat(decider.send(append("r1", event("A"))).getFirstPosition()).isEqualTo(1);

        List<TestRecord<byte[], byte[]>> dead = decider.dlq();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).key()).isEqualTo("dcb".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        Headers headers = dead.get(0).headers();
        assertThat(header(headers, DeadLetter.REASON)).isEqualTo("deserialization");
        assertThat(header(headers, DeadLetter.ERROR_MESSAGE)).contains("wire format");
        assertThat(header(headers, DeadLetter.STAGE)).isEqualTo("decider");
        assertThat(header(headers, DeadLetter.TOPIC)).isEqualTo(decider.config().commandsTopic());
        assertThat(header(headers, DeadLetter.PARTITION)).isEqualTo("0");
        assertThat(header(headers, DeadLetter.OFFSET)).isEqualTo("0");
    }

    @Test
    void aCommandWithoutAValueGoesToTheDlq() {
        start(StoreType.ROCKSDB);
        decider.sendTombstone();
        assertThat(decider.noResultsPending()).isTrue();
        List<TestRecord<byte[], byte[]>> dead = decider.dlq();
        assertThat(dead).hasSize(1);
        assertThat(header(dead.get(0).headers(), DeadLetter.REASON)).isEqualTo("no-value");
        assertThat(header(dead.get(0).headers(), DeadLetter.ERROR_MESSAGE)).contains("no value");
        assertThat(header(dead.get(0).headers(), DeadLetter.OFFSET)).isEqualTo("0");
        assertThat(dead.get(0).key()).as("the key's bytes as sent, Avro in the wire format")
                .isEqualTo(decider.commandKeyBytes());
        assertThat(decider.send(append("r1", event("A"))).getFirstPosition()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(StoreType.class)
    void decidesAGeneratedScenarioExactlyAsTheReferenceStore(StoreType storeType) {
        start(storeType);
        DeciderScenario scenario = DeciderScenario.generate(42, 600);
        assertThat(scenario.outcomeCounts()).allSatisfy((outcome, count) -> assertThat(count).isGreaterThan(20))
                .containsKeys(AppendOutcome.values());
        List<AppendResult> results = scenario.commands().stream().map(decider::send).toList();
        scenario.assertDecidedAsExpected(results, decider.allEvents());
    }

    @Test
    void operatorsAndStoresAreNamed() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        TopologyDescription description = DeciderTopology.build(
                DeciderConfig.defaults(ConnectionSettings.plaintext("unused:9092", "http://unused.invalid")), io.sluice.schemas.topics.Topics.create(registry, true))
                .describe();
        TopologyDescription.Processor processor = description.subtopologies().iterator().next().nodes().stream()
                .filter(n -> n instanceof TopologyDescription.Processor).map(TopologyDescription.Processor.class::cast)
                .findFirst().orElseThrow();
        assertThat(processor.name()).isEqualTo(DeciderTopology.PROCESSOR);
        assertThat(processor.stores()).containsExactlyInAnyOrder(DeciderStores.INDEX, DeciderStores.EVENTS_BY_POSITION,
                DeciderStores.IDEMPOTENCY, DeciderStores.SEQUENCE);
        assertThat(description.subtopologies().iterator().next().nodes()).extracting(TopologyDescription.Node::name)
                .containsExactlyInAnyOrder(DeciderTopology.SOURCE, DeciderTopology.PROCESSOR, DeciderTopology.EVENTS_SINK,
                        DeciderTopology.RESULTS_SINK);
    }

    private static String header(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
