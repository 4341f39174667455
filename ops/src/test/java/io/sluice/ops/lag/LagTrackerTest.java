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
    void noMembersIsIdleWhateverTheLag() {
        tracker.update(T0, List.of(group(0, p(10, 100))));
        GroupStatus s = one(tracker.update(T0.plus(STALL).plusSeconds(5), List.of(group(0, p(10, 900)))));
        assertThat(s.status()).isEqualTo(Status.IDLE);
        assertThat(one(new LagTracker(STALL).update(T0, List.of(group(0, p(5, 5))))).status()).isEqualTo(Status.IDLE);
    }

    @Test
    void oneTrailingTransactionMarkerPerPartitionIsNotABacklog() {
        tracker.update(T0, List.of(group(1, p(99, 100), p(49, 50))));
        GroupStatus s = one(tracker.update(T0.plus(STALL).plusSeconds(1), List.of(group(1, p(99, 100), p(49, 50)))));
        assertThat(s.status()).isEqualTo(Status.OK);
        assertThat(s.timeToDrain()).contains(Duration.ZERO);
        assertThat(s.lag().totalLag()).isEqualTo(2);
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
