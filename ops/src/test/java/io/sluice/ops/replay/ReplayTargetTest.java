package io.sluice.ops.replay;

import io.sluice.ops.replay.ReplayTarget.ShiftBy;
import io.sluice.ops.replay.ReplayTarget.ToDatetime;
import io.sluice.ops.replay.ReplayTarget.ToEarliest;
import io.sluice.ops.replay.ReplayTarget.ToOffset;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class ReplayTargetTest {

    private static final OptionalLong AT_50 = OptionalLong.of(50);
    private static final OptionalLong NONE = OptionalLong.empty();

    @Test
    void earliestIsTheLogStart() {
        assertThat(new ToEarliest().offset(AT_50, 10, 100, NONE)).isEqualTo(10);
    }

    @Test
    void anOffsetIsClampedToTheLog() {
        assertThat(new ToOffset(70).offset(AT_50, 10, 100, NONE)).isEqualTo(70);
        assertThat(new ToOffset(0).offset(AT_50, 10, 100, NONE)).isEqualTo(10);
        assertThat(new ToOffset(1_000).offset(AT_50, 10, 100, NONE)).isEqualTo(100);
    }

    @Test
    void aShiftMovesFromTheCurrentOffsetOrTheLogStartAndIsClamped() {
        assertThat(new ShiftBy(-30).offset(AT_50, 10, 100, NONE)).isEqualTo(20);
        assertThat(new ShiftBy(-300).offset(AT_50, 10, 100, NONE)).isEqualTo(10);
        assertThat(new ShiftBy(80).offset(AT_50, 10, 100, NONE)).isEqualTo(100);
        assertThat(new ShiftBy(5).offset(NONE, 10, 100, NONE)).isEqualTo(15);
    }

    @Test
    void aDatetimeWithNoRecordThatLateGoesToTheLogEnd() {
        ToDatetime t = new ToDatetime(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(t.offset(AT_50, 10, 100, OptionalLong.of(42))).isEqualTo(42);
        assertThat(t.offset(AT_50, 10, 100, NONE)).isEqualTo(100);
    }

    @Test
    void streamsResetterGetsTheSameTarget() {
        assertThat(new ToEarliest().resetterOptions()).containsExactly("--to-earliest");
        assertThat(new ToOffset(7).resetterOptions()).containsExactly("--to-offset", "7");
        assertThat(new ShiftBy(-3).resetterOptions()).containsExactly("--shift-by", "-3");
        assertThat(new ToDatetime(Instant.parse("2026-11-23T08:00:01.5Z")).resetterOptions())
                .containsExactly("--to-datetime", "2026-11-23T08:00:01.500Z");
    }

    @Test
    void streamsAppsAreKnownIdsOrOwnersOfInternalTopics() {
        assertThat(StreamsApps.isStreamsApp("sluice-dcb-decider", java.util.List.of())).isTrue();
        assertThat(StreamsApps.internalTopics("app", java.util.List.of("app-store-changelog", "app-KSTREAM-1-repartition",
                "app-input", "other-store-changelog", "dcb.events"))).containsExactly("app-KSTREAM-1-repartition", "app-store-changelog");
        assertThat(StreamsApps.isStreamsApp("app", java.util.List.of("app-input", "dcb.events"))).isFalse();
    }
}
