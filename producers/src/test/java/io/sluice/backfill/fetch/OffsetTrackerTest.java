package io.sluice.backfill.fetch;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("backfill.fetch", 0);
    private static final TopicPartition P1 = new TopicPartition("backfill.fetch", 1);

    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsOnlyUpToTheLowestUnfinishedOffset() {
        for (long o = 10; o < 15; o++) tracker.started(P0, o);
        tracker.finished(P0, 11);
        tracker.finished(P0, 12);
        assertThat(tracker.committable()).isEmpty(); // 10 still running

        tracker.finished(P0, 10);
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(13)));

        tracker.finished(P0, 14);
        tracker.finished(P0, 13);
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(15)));
        assertThat(tracker.pending()).isZero();
    }

    @Test
    void partitionsAreIndependentAndCommittedPositionsAreNotRepeated() {
        tracker.started(P0, 0);
        tracker.started(P1, 100);
        tracker.started(P1, 101);
        tracker.finished(P1, 100);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.committable();
        assertThat(first).isEqualTo(Map.of(P1, new OffsetAndMetadata(101)));

        tracker.committed(first);
        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.pending()).isEqualTo(2);
        assertThat(tracker.pending(List.of(P1))).isEqualTo(1);
        assertThat(tracker.committable(List.of(P0))).isEmpty();
    }

    @Test
    void forgottenPartitionsIgnoreLateCompletions() {
        tracker.started(P0, 5);
        tracker.forget(List.of(P0));
        tracker.finished(P0, 5);
        assertThat(tracker.committable()).isEmpty();
        assertThat(tracker.pending()).isZero();

        // reassigned later: starts afresh from the offsets it is given
        tracker.started(P0, 7);
        tracker.finished(P0, 7);
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(8)));
    }

    @Test
    void gapsInOffsetsFromCompactionOrTransactionMarkersDoNotBlock() {
        tracker.started(P0, 3);
        tracker.started(P0, 6); // 4 and 5 are commit markers the consumer never returns
        tracker.finished(P0, 3);
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(6)));
        tracker.finished(P0, 6);
        assertThat(tracker.committable()).isEqualTo(Map.of(P0, new OffsetAndMetadata(7)));
    }
}
