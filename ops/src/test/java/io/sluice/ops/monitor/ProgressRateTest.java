package io.sluice.ops.monitor;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ProgressRateTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void rateOverTheWindowForgetsOlderPoints() {
        ProgressRate rate = new ProgressRate(Duration.ofSeconds(10));
        assertThat(rate.add(T0, 0)).isZero();
        assertThat(rate.add(T0.plusSeconds(5), 50)).isCloseTo(10.0, within(1e-9));
        assertThat(rate.add(T0.plusSeconds(8), 80)).isCloseTo(10.0, within(1e-9));
        // T0 is the newest point at least 10 s old: still the start
        assertThat(rate.add(T0.plusSeconds(12), 84)).isCloseTo(7.0, within(1e-9));
        // now T8 is 10 s old: the rate is over the last 10 s only
        assertThat(rate.add(T0.plusSeconds(18), 90)).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void aCountThatWentBackwardsIsNoProgress() {
        ProgressRate rate = new ProgressRate(Duration.ofSeconds(10));
        rate.add(T0, 100);
        assertThat(rate.add(T0.plusSeconds(1), 40)).isZero();
    }

    @Test
    void etaIsRemainingOverRateRoundedUpZeroWhenDoneAndEmptyWithoutProgress() {
        assertThat(ProgressRate.eta(50, 100, 10)).isEqualTo(OptionalLong.of(5));
        assertThat(ProgressRate.eta(50, 101, 10)).isEqualTo(OptionalLong.of(6));
        assertThat(ProgressRate.eta(100, 100, 0)).isEqualTo(OptionalLong.of(0));
        assertThat(ProgressRate.eta(10, 100, 0)).isEmpty();
    }
}
