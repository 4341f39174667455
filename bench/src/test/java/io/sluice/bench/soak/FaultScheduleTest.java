package io.sluice.bench.soak;

import io.sluice.bench.soak.FaultSchedule.Slot;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FaultScheduleTest {

    private static FaultSchedule schedule(int minutes, int everySeconds) {
        return new SoakSettings(Duration.ofMinutes(minutes), Duration.ofSeconds(everySeconds), Duration.ofSeconds(10), 1).schedule();
    }

    @Test
    void theKindsTakeTurnsAtEachInterval() {
        assertThat(schedule(3, 40).slots()).containsExactly(
                new Slot(0, FaultKind.BROKER_RESTART, Duration.ofSeconds(40)),
                new Slot(1, FaultKind.POSTGRES_OUTAGE, Duration.ofSeconds(80)),
                new Slot(2, FaultKind.COMPONENT_KILL, Duration.ofSeconds(120)));
    }

    @Test
    void noFaultFallsInTheQuietTailOfTheLoad() {
        // 160 s would leave 20 s of load after it, less than the 30 s quiet tail
        assertThat(schedule(3, 40).slots()).extracting(Slot::at).allMatch(at -> at.plus(SoakSettings.QUIET).compareTo(Duration.ofMinutes(3)) <= 0);
        assertThat(schedule(1, 40).slots()).hasSize(0);
    }

    @Test
    void thirtyMinutesEveryTwoMinutesRepeatsEachKindFourTimesOrMore() {
        List<Slot> slots = schedule(30, 120).slots();
        assertThat(slots).hasSize(14);
        for (FaultKind kind : FaultKind.values()) assertThat(slots).filteredOn(s -> s.kind() == kind).hasSizeGreaterThanOrEqualTo(4);
    }

    @Test
    void aFaultIsDueOnceItsTimeHasCome() {
        FaultSchedule schedule = schedule(3, 40);
        assertThat(schedule.due(0, Duration.ofSeconds(39))).isNull();
        assertThat(schedule.due(0, Duration.ofSeconds(40))).extracting(Slot::kind).isEqualTo(FaultKind.BROKER_RESTART);
        assertThat(schedule.due(1, Duration.ofSeconds(79))).isNull();
        assertThat(schedule.due(3, Duration.ofMinutes(10))).as("past the last fault").isNull();
    }

    @Test
    void settingsRefuseAnOutageAsLongAsTheInterval() {
        assertThatThrownBy(() -> new SoakSettings(Duration.ofMinutes(3), Duration.ofSeconds(30), Duration.ofSeconds(30), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--outage-s");
    }
}
