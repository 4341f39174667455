package io.sluice.dcb.decider;

import io.sluice.dcb.query.NewEvent;
import io.sluice.dcb.query.ReferenceEventStore;
import io.sluice.dcb.query.StoredEvent;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.dcb.EventData;
import io.sluice.schemas.dcb.QueryItem;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static io.sluice.dcb.decider.CommandFixtures.event;
import static io.sluice.dcb.decider.CommandFixtures.failIf;
import static io.sluice.dcb.decider.CommandFixtures.item;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded stream of append commands in the shape of the dcb.events benchmark's course
 * subscriptions (conditional appends that succeed and fail, unconditional ones, retries under
 * idempotency keys, invalid ones), with the results and log the {@link ReferenceEventStore}
 * expects when they are decided in order. The topology test and the IT run the same scenario
 * and check the decider's output with {@link #assertDecidedAsExpected}.
 */
final class DeciderScenario {

    /** A command and what deciding it must give: outcome and, when APPENDED, positions. */
    record Step(AppendCommand command, AppendOutcome outcome, Long first, Long last) {
    }

    private final List<Step> steps;
    private final List<StoredEvent> log;
    private final Map<Long, String> requestIdByPosition;

    private DeciderScenario(List<Step> steps, List<StoredEvent> log, Map<Long, String> requestIdByPosition) {
        this.steps = steps;
        this.log = log;
        this.requestIdByPosition = requestIdByPosition;
    }

    List<Step> steps() {
        return steps;
    }

    /** How many events the scenario appends in all. */
    int eventCount() {
        return log.size();
    }

    List<AppendCommand> commands() {
        return steps.stream().map(Step::command).toList();
    }

    static DeciderScenario generate(long seed, int count) {
        Random random = new Random(seed);
        ReferenceEventStore reference = new ReferenceEventStore();
        List<Step> steps = new ArrayList<>();
        List<Step> keyed = new ArrayList<>();
        Map<Long, String> requestIds = new HashMap<>();
        for (int i = 0; i < count; i++) {
            String requestId = "req-" + seed + "-" + i;
            int kind = random.nextInt(100);
            if (kind < 3) {
                steps.add(new Step(CommandFixtures.append(requestId), AppendOutcome.REJECTED, null, null));
            } else if (kind < 5) {
                steps.add(new Step(CommandFixtures.append(requestId, event(" ")), AppendOutcome.REJECTED, null, null));
            } else if (kind < 12 && !keyed.isEmpty()) {
                Step original = keyed.get(random.nextInt(keyed.size()));
                steps.add(new Step(CommandFixtures.retry(original.command(), requestId), original.outcome(), original.first(),
                        original.last()));
            } else {
                AppendCommand subscription = subscription(random, requestId, reference.lastPosition());
                AppendCommand command = random.nextInt(5) == 0
                        ? CommandFixtures.keyed(subscription, "idem-" + seed + "-" + i) : subscription;
                Optional<ReferenceEventStore.Positions> positions = reference.append(newEvents(command),
                        CommandValidation.condition(command));
                Step step = positions.map(p -> new Step(command, AppendOutcome.APPENDED, p.first(), p.last()))
                        .orElseGet(() -> new Step(command, AppendOutcome.CONDITION_FAILED, null, null));
                positions.ifPresent(p -> {
                    for (long position = p.first(); position <= p.last(); position++) requestIds.put(position, requestId);
                });
                steps.add(step);
                if (command.getIdempotencyKey() != null) keyed.add(step);
            }
        }
        return new DeciderScenario(List.copyOf(steps), reference.events(), Map.copyOf(requestIds));
    }

    /**
     * A student subscribing to a course, or a course being defined or changed: 1 to 3 events,
     * usually under the condition "no such event for this course/student since the position I read".
     */
    private static AppendCommand subscription(Random random, String requestId, long lastPosition) {
        String course = "course:c" + random.nextInt(8);
        String student = "student:s" + random.nextInt(30);
        List<EventData> events = new ArrayList<>();
        events.add(random.nextBoolean() ? event("StudentSubscribed", course, student) : event("CourseDefined", course));
        for (int extra = random.nextInt(3); extra > 0; extra--) events.add(event("CourseCapacityChanged", course));
        AppendCommand command = CommandFixtures.append(requestId, events.toArray(EventData[]::new));
        if (random.nextInt(10) < 3) return command;
        List<QueryItem> items = new ArrayList<>();
        items.add(item(List.of("CourseDefined", "CourseCapacityChanged"), List.of(course)));
        if (random.nextBoolean()) items.add(item(List.of("StudentSubscribed"), List.of(course, student)));
        if (random.nextInt(10) == 0) items.add(CommandFixtures.tags(student));
        // Read a little while ago: some conditions see a conflicting append since, some don't.
        Long after = random.nextInt(20) == 0 ? null : Math.max(0, lastPosition - random.nextInt(6));
        command.setCondition(failIf(after, items.toArray(QueryItem[]::new)));
        return command;
    }

    private static List<NewEvent> newEvents(AppendCommand command) {
        return command.getEvents().stream().map(e -> new NewEvent(e.getType(), e.getTags())).toList();
    }

    /**
     * Checks the decider's output: one result per command with the expected outcome and positions,
     * and the log exactly the reference log: positions unique and increasing, each event where
     * the reference put it, carrying the request id of the command that appended it.
     */
    void assertDecidedAsExpected(List<AppendResult> results, List<Event> events) {
        Map<String, AppendResult> byRequest = new HashMap<>();
        for (AppendResult result : results) {
            assertThat(byRequest.put(result.getRequestId(), result)).as("one result per request id").isNull();
        }
        assertThat(byRequest).hasSameSizeAs(steps);
        for (Step step : steps) {
            AppendResult result = byRequest.get(step.command().getRequestId());
            assertThat(result).as("result of %s", step.command().getRequestId()).isNotNull();
            assertThat(result.getOutcome()).as("outcome of %s", step.command()).isEqualTo(step.outcome());
            assertThat(result.getFirstPosition()).as("first position of %s", step.command()).isEqualTo(step.first());
            assertThat(result.getLastPosition()).as("last position of %s", step.command()).isEqualTo(step.last());
            assertThat(result.getError() != null).as("error given exactly when rejected: %s", result)
                    .isEqualTo(step.outcome() == AppendOutcome.REJECTED);
        }
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).getPosition()).as("positions strictly increase").isGreaterThan(events.get(i - 1).getPosition());
        }
        assertThat(events).hasSameSizeAs(log);
        for (int i = 0; i < events.size(); i++) {
            Event event = events.get(i);
            StoredEvent expected = log.get(i);
            assertThat(new StoredEvent(event.getPosition(), event.getType(), event.getTags())).isEqualTo(expected);
            assertThat(event.getRequestId()).isEqualTo(requestIdByPosition.get(expected.position()));
        }
    }

    /** How many steps end in each outcome, so a test can show the scenario exercises all of them. */
    Map<AppendOutcome, Long> outcomeCounts() {
        Map<AppendOutcome, Long> counts = new HashMap<>();
        for (Step step : steps) counts.merge(step.outcome(), 1L, Long::sum);
        return counts;
    }

}
