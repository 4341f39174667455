package io.sluice.ops.replay;

import io.sluice.ops.replay.ReplayTarget.ShiftBy;
import io.sluice.ops.replay.ReplayTarget.ToDatetime;
import io.sluice.ops.replay.ReplayTarget.ToEarliest;
import io.sluice.ops.replay.ReplayTarget.ToOffset;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayTargetTest {

    private static final OptionalLong AT_50 = OptionalLong.of(50);
    private static final OptionalLong NONE = OptionalLong.empty();
    private static final TopicPartition TP = new TopicPartition("t", 0);

    @Test
    void earliestIsTheLogStart() {
        assertThat(new ToEarliest().offset(TP, AT_50, 10, 100, NONE)).isEqualTo(10);
    }

    @Test
    void anOffsetIsClampedToTheLog() {
        assertThat(new ToOffset(70).offset(TP, AT_50, 10, 100, NONE)).isEqualTo(70);
        assertThat(new ToOffset(0).offset(TP, AT_50, 10, 100, NONE)).isEqualTo(10);
        assertThat(new ToOffset(1_000).offset(TP, AT_50, 10, 100, NONE)).isEqualTo(100);
    }

    @Test
    void aShiftMovesFromTheCurrentOffsetOrTheLogStartAndIsClamped() {
        assertThat(new ShiftBy(-30).offset(TP, AT_50, 10, 100, NONE)).isEqualTo(20);
        assertThat(new ShiftBy(-300).offset(TP, AT_50, 10, 100, NONE)).isEqualTo(10);
        assertThat(new ShiftBy(80).offset(TP, AT_50, 10, 100, NONE)).isEqualTo(100);
        assertThat(new ShiftBy(5).offset(TP, NONE, 10, 100, NONE)).isEqualTo(15);
    }

    @Test
    void aDatetimeWithNoRecordThatLateGoesToTheLogEnd() {
        ToDatetime t = new ToDatetime(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(t.offset(TP, AT_50, 10, 100, OptionalLong.of(42))).isEqualTo(42);
        assertThat(t.offset(TP, AT_50, 10, 100, NONE)).isEqualTo(100);
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

    @Test
    void latestIsTheLogEndAndCurrentTheCommittedOffsetOrTheLogEnd() {
        assertThat(new ReplayTarget.ToLatest().offset(TP, AT_50, 10, 100, NONE)).isEqualTo(100);
        assertThat(new ReplayTarget.ToCurrent().offset(TP, AT_50, 10, 100, NONE)).isEqualTo(50);
        assertThat(new ReplayTarget.ToCurrent().offset(TP, NONE, 10, 100, NONE)).isEqualTo(100);
    }

    @Test
    void wantedIsTheOffsetBeforeClamping() {
        assertThat(new ToOffset(1_000).wanted(TP, AT_50, 10, 100, NONE)).isEqualTo(1_000);
        assertThat(new ShiftBy(-300).wanted(TP, AT_50, 10, 100, NONE)).isEqualTo(-250);
    }

    @Test
    void aFileGivesEachPartitionItsOffset() {
        ReplayTarget.FromFile f = new ReplayTarget.FromFile(Path.of("o.csv"), Map.of(TP, 30L, new TopicPartition("t", 1), 500L));
        assertThat(f.offset(TP, AT_50, 10, 100, NONE)).isEqualTo(30);
        assertThat(f.offset(new TopicPartition("t", 1), AT_50, 10, 100, NONE)).isEqualTo(100);
        assertThat(f.resetterOptions()).containsExactly("--from-file", "o.csv");
    }

    @Test
    void theOffsetsFileIsKafkasCsv() {
        assertThat(OffsetsFile.parse("o.csv", List.of("a.b,0,5", "", " a.b , 2 , 7 ", "c,1,0")))
                .containsExactly(Map.entry(TP_AB0, 5L), Map.entry(new TopicPartition("a.b", 2), 7L), Map.entry(new TopicPartition("c", 1), 0L));
        assertThatThrownBy(() -> OffsetsFile.parse("o.csv", List.of("a.b,0,5", "a.b,x,1")))
                .hasMessage("o.csv line 2 'a.b,x,1': partition and offset must be numbers");
        assertThatThrownBy(() -> OffsetsFile.parse("o.csv", List.of("a.b,0")))
                .hasMessage("o.csv line 1 'a.b,0': expected topic,partition,offset");
        assertThatThrownBy(() -> OffsetsFile.parse("o.csv", List.of("a.b,0,1", "a.b,0,2"))).hasMessageContaining("a.b-0 appears twice");
        assertThatThrownBy(() -> OffsetsFile.parse("o.csv", List.of("a.b,0,-1"))).hasMessageContaining("must be >= 0");
        assertThatThrownBy(() -> OffsetsFile.parse("o.csv", List.of(""))).hasMessage("o.csv holds no offsets");
    }

    private static final TopicPartition TP_AB0 = new TopicPartition("a.b", 0);

    @Test
    void aTopicSelectionIsATopicOrSomeOfItsPartitions() {
        assertThat(TopicSelection.parse("backfill.fetch")).isEqualTo(new TopicSelection("backfill.fetch", Set.of()));
        assertThat(TopicSelection.parse("backfill.fetch").allPartitions()).isTrue();
        assertThat(TopicSelection.parse("backfill.fetch:0,2")).isEqualTo(new TopicSelection("backfill.fetch", Set.of(0, 2)));
        assertThatThrownBy(() -> TopicSelection.parse("t:0,x")).hasMessageContaining("'t:0,x': partitions are numbers >= 0");
        assertThatThrownBy(() -> TopicSelection.parse("t:")).hasMessageContaining("partitions are numbers");
        assertThatThrownBy(() -> TopicSelection.parse(":1")).hasMessage("the topic name is empty");
    }

    @Test
    void aDurationTargetGoesToTheResetterAsIsAndMustNotBeNegative() {
        assertThat(new ReplayTarget.ByDuration(Duration.ofHours(1)).resetterOptions()).containsExactly("--by-duration", "PT1H");
        assertThatThrownBy(() -> new ReplayTarget.ByDuration(Duration.ofHours(-1))).hasMessageContaining("must not be negative");
        assertThat(new ReplayTarget.ToCurrent().resetterOptions()).containsExactly("--shift-by", "0");
        assertThat(new ReplayTarget.ToLatest().resetterOptions()).containsExactly("--to-latest");
    }
}
