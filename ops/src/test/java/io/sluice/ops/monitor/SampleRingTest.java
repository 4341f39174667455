package io.sluice.ops.monitor;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.ops.monitor.MonitorState.History;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleRingTest {

    @Test
    void holdsSamplesOldestFirstUntilFull() {
        SampleRing ring = new SampleRing(4);
        ring.add(1000, 10, 1.5);
        ring.add(2000, 20, 2.5);
        History h = ring.snapshot();
        assertThat(h.at()).containsExactly(1000, 2000);
        assertThat(h.lag()).containsExactly(10, 20);
        assertThat(h.rate()).containsExactly(1.5, 2.5);
    }

    @Test
    void onceFullEachNewSampleDropsTheOldestAndTheSizeStaysAtTheCapacity() {
        SampleRing ring = new SampleRing(3);
        for (int i = 1; i <= 1000; i++) ring.add(i, i * 10L, i / 2.0);
        assertThat(ring.size()).isEqualTo(3);
        History h = ring.snapshot();
        assertThat(h.at()).containsExactly(998, 999, 1000);
        assertThat(h.lag()).containsExactly(9980, 9990, 10000);
        assertThat(h.rate()).containsExactly(499.0, 499.5, 500.0);
    }

    @Test
    void aSnapshotIsACopyThatLaterSamplesDoNotChange() {
        SampleRing ring = new SampleRing(2);
        ring.add(1, 1, 1);
        History before = ring.snapshot();
        ring.add(2, 2, 2);
        ring.add(3, 3, 3);
        assertThat(before.at()).containsExactly(1);
        assertThat(ring.snapshot().at()).containsExactly(2, 3);
    }

    @Test
    void anEmptyRingHasAnEmptyHistoryAndACapacityBelowOneIsRefused() {
        assertThat(new SampleRing(5).snapshot().size()).isZero();
        assertThatThrownBy(() -> new SampleRing(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity");
    }

    @Test
    void theConfiguredWindowOverTheIntervalSetsTheRingSizeWithinItsBounds() {
        MonitorConfig defaults = MonitorConfig.defaults(0, ConnectionSettings.plaintext("127.0.0.1:9092", "http://127.0.0.1:8081"), Optional.empty());
        assertThat(defaults.historySamples()).as("10 minutes at one per second").isEqualTo(600);
        assertThat(defaults.withTiming(Duration.ofMillis(500), Duration.ofSeconds(2)).withHistory(Duration.ofMillis(3100))
                .historySamples()).as("rounded up").isEqualTo(7);
        assertThat(defaults.withTiming(Duration.ofMillis(10), Duration.ofSeconds(2)).historySamples())
                .as("fast sampling shortens the window, not the bound").isEqualTo(MonitorConfig.MAX_HISTORY_SAMPLES);
        assertThat(defaults.withHistory(Duration.ofMillis(1)).historySamples()).as("a line needs two points").isEqualTo(2);
    }
}
