package io.sluice.common.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private static final Duration MS100 = Duration.ofMillis(100);
    private static final Duration S10 = Duration.ofSeconds(10);

    @Test
    void withoutJitterTheScheduleIsFixedAndCapped() {
        Backoff b = new Backoff(MS100, S10, 2, 0);
        assertThat(b.delay(1)).isEqualTo(MS100);
        assertThat(b.delay(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(b.delay(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(b.delay(7)).isEqualTo(Duration.ofMillis(6400));
        assertThat(b.delay(8)).isEqualTo(S10);
        assertThat(new Backoff(MS100, S10, 3, 0).delay(3)).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void theCeilingIsMonotoneUpToMaxAndNeverOverflows() {
        Backoff b = new Backoff(Duration.ofMillis(7), Duration.ofMinutes(5), 1.7, 0.5);
        Duration previous = Duration.ZERO;
        for (int attempt = 1; attempt < 10_000; attempt++) {
            Duration c = b.ceilingOf(attempt);
            assertThat(c).isGreaterThanOrEqualTo(previous).isLessThanOrEqualTo(Duration.ofMinutes(5));
            previous = c;
        }
        assertThat(previous).isEqualTo(Duration.ofMinutes(5));
        assertThat(b.delay(Integer.MAX_VALUE, 0.5)).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(5));
    }

    @Test
    void jitterTakesItsFractionOffTheCeilingButNeverGoesBelowInitial() {
        Backoff equal = new Backoff(MS100, S10, 2, 0.5);
        assertThat(equal.delay(4, 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(equal.delay(4, 0.999999)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
        assertThat(equal.delay(1, 0.0)).as("never below initial").isEqualTo(MS100);
        Backoff full = new Backoff(MS100, S10, 2, 1);
        assertThat(full.delay(5, 0.0)).isEqualTo(MS100);
        for (int i = 0; i < 1000; i++) {
            assertThat(equal.delay(6)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(3200));
            assertThat(full.delay(6)).isBetween(MS100, Duration.ofMillis(3200));
        }
    }

    @Test
    void zeroInitialNeverWaits() {
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO, 2, 0.5).delay(3)).isZero();
    }

    @Test
    void refusesNonsenseWithTheReason() {
        assertThatThrownBy(() -> new Backoff(S10, MS100, 2, 0)).hasMessageContaining("below its initial");
        assertThatThrownBy(() -> new Backoff(Duration.ofMillis(-1), S10, 2, 0)).hasMessageContaining("negative");
        assertThatThrownBy(() -> new Backoff(MS100, S10, 0.5, 0)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(MS100, S10, Double.NaN, 0)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(MS100, S10, 2, 1.5)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new Backoff(MS100, S10, 2, 0).delay(0)).hasMessageContaining("attempt");
        assertThatThrownBy(() -> new Backoff(MS100, S10, 2, 0).delay(1, 1.0)).hasMessageContaining("random");
    }
}
