package io.sluice.ops.lag;

import io.sluice.ops.lag.GroupLag.OffsetSource;
import io.sluice.ops.lag.GroupStatus.Status;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LagTrackerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration STALL = Duration.ofSeconds(30);

    private final LagTracker tracker = new LagTracker(STALL);

    @Test
    void aCaughtUpGroupIsOkWithNothingToDrain() {
        GroupStatus first = one(tracker.update(T0, List.of(group(1, p(100, 100)))));
        assertThat(first.status()).isEqualTo(Status.OK);
        assertThat(first.ratePerSecond()).isZero();
        assertThat(first.timeToDrain()).contains(Duration.ZERO);

        GroupStatus second = one(tracker.update(T0.plusSeconds(10), List.of(group(1, p(150, 150)))));
        assertThat(second.status()).isEqualTo(Status.OK);
        assertThat(second.ratePerSecond()).isCloseTo(5.0, within(1e-9));
        assertThat(second.timeToDrain()).contains(Duration.ZERO);
    }

    @Test
    void rateSumsTheAdvanceOfEveryPartitionOverTheInterval() {
        tracker.update(T0, List.of(group(2, p(0, 500), p(10, 500))));
        GroupStatus s = one(tracker.update(T0.plusSeconds(2), List.of(group(2, p(100, 500), p(30, 500)))));
        assertThat(s.ratePerSecond()).isCloseTo(60.0, within(1e-9));
        assertThat(s.status()).isEqualTo(Status.OK); // draining: lag 990 -> 870
        // 120 drained in 2 s, 870 left: 14.5 s
        assertThat(s.timeToDrain()).contains(Duration.ofMillis(14_500));
    }

    @Test
    void lagGrowingOverTheIntervalIsLaggingAndHasNoTimeToDrain() {
        tracker.update(T0, List.of(group(1, p(0, 100))));
        GroupStatus s = one(tracker.update(T0.plusSeconds(2), List.of(group(1, p(50, 300)))));
        assertThat(s.status()).isEqualTo(Status.LAGGING);
        assertThat(s.ratePerSecond()).isCloseTo(25.0, within(1e-9));
        assertThat(s.timeToDrain()).isEmpty();
    }

    @Test
    void noProgressWithABacklogForTheStallTimeIsStalled() {
        tracker.update(T0, List.of(group(1, p(10, 100))));
        GroupStatus before = one(tracker.update(T0.plus(STALL).minusMillis(1), List.of(group(1, p(10, 200)))));
        assertThat(before.status()).isEqualTo(Status.LAGGING);
        GroupStatus at = one(tracker.update(T0.plus(STALL), List.of(group(1, p(10, 200)))));
        assertThat(at.status()).isEqualTo(Status.STALLED);
        assertThat(at.ratePerSecond()).isZero();

        // Progress restarts the clock.
        GroupStatus moved = one(tracker.update(T0.plus(STALL).plusSeconds(1), List.of(group(1, p(11, 200)))));
        assertThat(moved.status()).isEqualTo(Status.OK);
        GroupStatus again = one(tracker.update(T0.plus(STALL).plusSeconds(31), List.of(group(1, p(11, 200)))));
        assertThat(again.status()).isEqualTo(Status.STALLED);
    }

    @Test
    void stalledTakesPrecedenceOverLagging() {
        tracker.update(T0, List.of(group(1, p(10, 100))));
        GroupStatus s = one(tracker.update(T0.plus(STALL), List.of(group(1, p(10, 500)))));
        assertThat(s.status()).isEqualTo(Status.STALLED);
    }

    @Test
    void noMembersWithLagIsAnErrorAndWithoutLagIdle() {
        tracker.update(T0, List.of(group(1, p(10, 10))));
        GroupStatus gone = one(tracker.update(T0.plusSeconds(1), List.of(group(0, p(10, 11)))));
        assertThat(gone.status()).as("the members left records behind").isEqualTo(Status.ERROR);
        assertThat(one(new LagTracker(STALL).update(T0, List.of(group(0, p(10, 900))))).status())
                .as("at once, no window needed").isEqualTo(Status.ERROR);
        assertThat(one(new LagTracker(STALL).update(T0, List.of(group(0, p(5, 5))))).status()).isEqualTo(Status.IDLE);
        assertThat(one(new LagTracker(STALL).update(T0, List.of(group(0)))).status()).isEqualTo(Status.IDLE);
    }

    @Test
    void aSmallLagThatNeverMovesOverTheWindowIsStalledThoughTheRateIsZeroEverySample() {
        // The flattener of issue 16: lag 9 over four partitions, rate 0.0/s, nothing moving.
        List<Status> seen = new ArrayList<>();
        for (int s = 0; s <= 30; s += 2) {
            seen.add(one(tracker.update(T0.plusSeconds(s), List.of(group(1, p(4, 7), p(8, 10), p(3, 5), p(0, 2)))))
                    .status());
        }
        assertThat(seen.subList(0, seen.size() - 1)).as("inside the window: not yet known").containsOnly(Status.OK);
        assertThat(seen.getLast()).isEqualTo(Status.STALLED);
    }

    @Test
    void oneRecordStuckIsABacklog() {
        tracker.update(T0, List.of(group(1, p(99, 100))));
        GroupStatus s = one(tracker.update(T0.plus(STALL), List.of(group(1, p(99, 100)))));
        assertThat(s.status()).isEqualTo(Status.STALLED);
        assertThat(s.timeToDrain()).isEmpty();
    }

    @Test
    void onePartitionStuckWhileTheOthersMoveIsStalled() {
        tracker.update(T0, List.of(group(1, p(0, 1_000), p(7, 50))));
        GroupStatus s = null;
        for (int i = 1; i <= 3; i++) {
            s = one(tracker.update(T0.plusSeconds(15L * i), List.of(group(1, p(100L * i, 1_000), p(7, 50)))));
        }
        assertThat(s.status()).isEqualTo(Status.STALLED);
        assertThat(s.ratePerSecond()).isPositive();
    }

    @Test
    void aShrinkingLagIsOkForAsLongAsItShrinks() {
        for (int i = 0; i <= 10; i++) {
            GroupStatus s = one(tracker.update(T0.plusSeconds(10L * i), List.of(group(1, p(10L * i, 200)))));
            assertThat(s.status()).isEqualTo(Status.OK);
        }
    }

    @Test
    void aCaughtUpGroupThatGetsNewRecordsIsNotStalledAtOnce() {
        tracker.update(T0, List.of(group(1, p(100, 100))));
        tracker.update(T0.plusSeconds(60), List.of(group(1, p(100, 100))));
        GroupStatus s = one(tracker.update(T0.plusSeconds(61), List.of(group(1, p(100, 105)))));
        assertThat(s.status()).as("a minute without commits, but nothing to read until now").isEqualTo(Status.LAGGING);
        GroupStatus later = one(tracker.update(T0.plusSeconds(61).plus(STALL), List.of(group(1, p(100, 105)))));
        assertThat(later.status()).isEqualTo(Status.STALLED);
    }

    @Test
    void undecidedWhileAPartitionWithLagHasNotMovedForAWholeWindow() {
        tracker.update(T0, List.of(group(1, p(0, 10))));
        assertThat(tracker.undecided(T0.plusSeconds(2))).isTrue();
        assertThat(tracker.undecided(T0.plus(STALL))).isFalse();
        tracker.update(T0.plusSeconds(1), List.of(group(1, p(0, 10))));
        assertThat(tracker.undecided(T0.plusSeconds(2))).as("not moved yet").isTrue();
        tracker.update(T0.plusSeconds(2), List.of(group(1, p(5, 20))));
        assertThat(tracker.undecided(T0.plusSeconds(3))).as("moved: not stalled, whatever comes").isFalse();
        tracker.update(T0.plusSeconds(2), List.of(group(1, p(10, 10))));
        assertThat(tracker.undecided(T0.plusSeconds(3))).as("no lag left").isFalse();
        tracker.update(T0.plusSeconds(4), List.of(group(0, p(5, 10))));
        assertThat(tracker.undecided(T0.plusSeconds(5))).as("no members: ERROR needs no window").isFalse();
    }

    @Test
    void offsetsGoingBackwardsAfterAReplayCountNoRateButRestartTheStallClock() {
        tracker.update(T0, List.of(group(1, p(1_000, 1_000))));
        GroupStatus replayed = one(tracker.update(T0.plus(STALL), List.of(group(1, p(0, 1_000)))));
        assertThat(replayed.ratePerSecond()).isZero();
        assertThat(replayed.status()).as("lag grew from 0 to 1000").isEqualTo(Status.LAGGING);
        GroupStatus later = one(tracker.update(T0.plus(STALL).plusSeconds(29), List.of(group(1, p(0, 1_000)))));
        assertThat(later.status()).isEqualTo(Status.OK);
        GroupStatus stuck = one(tracker.update(T0.plus(STALL).plusSeconds(30), List.of(group(1, p(0, 1_000)))));
        assertThat(stuck.status()).isEqualTo(Status.STALLED);
    }

    @Test
    void aPartitionWithoutACommittedOffsetLagsFromTheLogStartAndItsFirstCommitIsProgress() {
        PartitionLag none = PartitionLag.of("t", 0, OptionalLong.empty(), 20, 120);
        assertThat(none.lag()).isEqualTo(100);
        tracker.update(T0, List.of(new GroupLag("g", 1, OffsetSource.KAFKA, List.of(none))));
        GroupStatus first = one(tracker.update(T0.plusSeconds(29), List.of(new GroupLag("g", 1, OffsetSource.KAFKA, List.of(none)))));
        assertThat(first.status()).isEqualTo(Status.OK);
        GroupStatus committed = one(tracker.update(T0.plusSeconds(31), List.of(group(1, p(30, 120)))));
        assertThat(committed.status()).isEqualTo(Status.OK);
        assertThat(committed.ratePerSecond()).isZero();
    }

    @Test
    void theFirstSampleOfAGroupHasNoRateAndGroupsThatVanishAreForgotten() {
        tracker.update(T0, List.of(group(1, p(0, 100))));
        tracker.update(T0.plusSeconds(1), List.of());
        GroupStatus back = one(tracker.update(T0.plusSeconds(40), List.of(group(1, p(0, 100)))));
        assertThat(back.status()).as("the stall clock started again").isEqualTo(Status.OK);
        assertThat(back.timeToDrain()).isEmpty();
    }

    @Test
    void aSampleAtTheSameInstantGivesNoRate() {
        tracker.update(T0, List.of(group(1, p(0, 100))));
        GroupStatus s = one(tracker.update(T0, List.of(group(1, p(50, 100)))));
        assertThat(s.ratePerSecond()).isZero();
        assertThat(s.timeToDrain()).isEmpty();
    }

    @Test
    void theStallTimeMustBePositive() {
        assertThatThrownBy(() -> new LagTracker(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private static PartitionLag p(long committed, long end) {
        return PartitionLag.of("t", 0, OptionalLong.of(committed), 0, end);
    }

    private static GroupLag group(int members, PartitionLag... partitions) {
        List<PartitionLag> numbered = new ArrayList<>();
        for (int i = 0; i < partitions.length; i++) {
            PartitionLag x = partitions[i];
            numbered.add(new PartitionLag(x.topic(), i, x.committed(), x.end(), x.lag()));
        }
        return new GroupLag("g", members, OffsetSource.KAFKA, numbered);
    }

    private static GroupStatus one(List<GroupStatus> statuses) {
        assertThat(statuses).hasSize(1);
        return statuses.getFirst();
    }
}
