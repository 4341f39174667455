package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import static io.sluice.dcb.decider.CommandFixtures.append;
import static io.sluice.dcb.decider.CommandFixtures.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decider after a replay of dcb.commands: with its stores lost (a full reset) and rebuilt
 * from the log, with its stores kept and its input moved back (a partial reset), and with the
 * oldest commands gone (retention) — every command read again is answered with its first result
 * and nothing is appended twice.
 */
class DeciderReplayTest {

    private static final int COMMANDS = 600;

    @TempDir
    Path firstState;
    @TempDir
    Path secondState;

    private final DeciderScenario scenario = DeciderScenario.generate(7, COMMANDS);

    @Test
    void aFullResetRebuildsTheStoresFromTheLogAndAppendsNothingAgain() {
        List<Event> log;
        List<AppendResult> first;
        try (DeciderDriver decider = new DeciderDriver(firstState, StoreType.ROCKSDB)) {
            first = scenario.commands().stream().map(decider::send).toList();
            log = decider.allEvents();
        }
        try (DeciderDriver rebuilt = new DeciderDriver(secondState, StoreType.ROCKSDB, of(log))) {
            List<AppendResult> again = scenario.commands().stream().map(rebuilt::send).toList();
            assertThat(rebuilt.allEvents()).as("events appended by the rerun").isEmpty();
            assertThat(again).map(DeciderReplayTest::answer).isEqualTo(first.stream().map(DeciderReplayTest::answer).toList());

            AppendResult next = rebuilt.send(append("after-the-reset", event("A")));
            assertThat(next.getFirstPosition()).isEqualTo(log.getLast().getPosition() + 1);
        }
    }

    @Test
    void aPartialResetAnswersTheCommandsReadAgainWithTheirFirstResults() {
        try (DeciderDriver decider = new DeciderDriver(firstState, StoreType.ROCKSDB)) {
            List<AppendResult> first = scenario.commands().stream().map(decider::send).toList();
            int events = decider.allEvents().size();
            List<AppendResult> again = scenario.commands().subList(COMMANDS - 150, COMMANDS).stream().map(decider::send).toList();
            assertThat(decider.allEvents()).as("events after re-reading 150 commands").hasSize(events);
            assertThat(again).map(DeciderReplayTest::answer)
                    .isEqualTo(first.subList(COMMANDS - 150, COMMANDS).stream().map(DeciderReplayTest::answer).toList());
        }
    }

    @Test
    void aResetAfterRetentionDeletedTheOldestCommandsAppendsNothingAgain() {
        List<Event> log;
        List<AppendResult> first;
        try (DeciderDriver decider = new DeciderDriver(firstState, StoreType.IN_MEMORY)) {
            first = scenario.commands().stream().map(decider::send).toList();
            log = decider.allEvents();
        }
        try (DeciderDriver rebuilt = new DeciderDriver(secondState, StoreType.IN_MEMORY, of(log))) {
            List<AppendResult> again = scenario.commands().subList(COMMANDS / 2, COMMANDS).stream().map(rebuilt::send).toList();
            assertThat(rebuilt.allEvents()).isEmpty();
            assertThat(again).map(DeciderReplayTest::answer)
                    .isEqualTo(first.subList(COMMANDS / 2, COMMANDS).stream().map(DeciderReplayTest::answer).toList());
        }
    }

    @Test
    void anIdempotencyKeyRebuiltFromTheLogStillRefusesADifferentAppend() {
        List<Event> log;
        try (DeciderDriver decider = new DeciderDriver(firstState, StoreType.ROCKSDB)) {
            scenario.commands().forEach(decider::send);
            log = decider.allEvents();
        }
        AppendCommand keyed = scenario.steps().stream().map(DeciderScenario.Step::command)
                .filter(c -> c.getIdempotencyKey() != null)
                .filter(c -> log.stream().anyMatch(e -> e.getRequestId().equals(c.getRequestId()))).findFirst().orElseThrow();
        try (DeciderDriver rebuilt = new DeciderDriver(secondState, StoreType.ROCKSDB, of(log))) {
            AppendResult retry = rebuilt.send(CommandFixtures.retry(keyed, "a-retry"));
            assertThat(retry.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
            assertThat(retry.getFirstPosition()).isEqualTo(log.stream()
                    .filter(e -> e.getRequestId().equals(keyed.getRequestId())).findFirst().orElseThrow().getPosition());
            AppendResult other = rebuilt.send(CommandFixtures.keyed(append("another", event("B")), keyed.getIdempotencyKey()));
            assertThat(other.getOutcome()).isEqualTo(AppendOutcome.REJECTED);
            assertThat(rebuilt.allEvents()).isEmpty();
        }
    }

    @Test
    void anIdempotencyKeyCannotPoseAsARequestId() {
        try (DeciderDriver decider = new DeciderDriver(firstState, StoreType.IN_MEMORY)) {
            AppendResult first = decider.send(append("r1", event("A")));
            AppendResult posing = decider.send(CommandFixtures.keyed(append("r2", event("B")), IdempotencyLog.REQUEST_PREFIX + "r1"));
            assertThat(first.getOutcome()).isEqualTo(AppendOutcome.APPENDED);
            assertThat(posing.getOutcome()).isEqualTo(AppendOutcome.REJECTED);
            assertThat(posing.getError()).contains("U+0000");
        }
    }

    @Test
    void aLogWithAGapPastTheStoresStopsTheDecider() {
        List<Event> log;
        try (DeciderDriver decider = new DeciderDriver(firstState, StoreType.IN_MEMORY)) {
            scenario.commands().forEach(decider::send);
            log = decider.allEvents();
        }
        try (DeciderDriver rebuilt = new DeciderDriver(secondState, StoreType.IN_MEMORY, of(log.subList(1, log.size())))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rebuilt.send(append("x", event("A"))))
                    .hasStackTraceContaining("the stores and the log disagree");
        }
    }

    /** What a client sees of a result: its outcome and positions (and error), not when it was decided. */
    private static String answer(AppendResult result) {
        return result.getRequestId() + " " + result.getOutcome() + " " + result.getFirstPosition() + ".."
                + result.getLastPosition() + " " + Objects.toString(result.getError(), "");
    }

    private static EventLog of(List<Event> events) {
        return (position, each) -> events.stream().filter(e -> e.getPosition() > position).forEach(each);
    }

}
