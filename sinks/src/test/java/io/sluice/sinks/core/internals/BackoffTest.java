package io.sluice.sinks.core.internals;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10));

    @Test
    void doublesUntilTheCap() {
        assertThat(backoff.delay(1, 0.999999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
        assertThat(backoff.delay(2, 0.999999)).isBetween(Duration.ofMillis(199), Duration.ofMillis(200));
        assertThat(backoff.delay(4, 0.999999)).isBetween(Duration.ofMillis(799), Duration.ofMillis(800));
        assertThat(backoff.delay(8, 0.999999)).isBetween(Duration.ofMillis(9_999), Duration.ofSeconds(10));
        assertThat(backoff.delay(9, 0.999999)).isBetween(Duration.ofMillis(9_999), Duration.ofSeconds(10));
    }

    @Test
    void jitterStaysInTheUpperHalfAndNeverBelowMin() {
        assertThat(backoff.delay(1, 0.0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.delay(4, 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(backoff.delay(30, 0.0)).isEqualTo(Duration.ofSeconds(5));
        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.delay(6)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(3200));
        }
    }

    @Test
    void aLongOutageDoesNotOverflow() {
        assertThat(backoff.delay(10_000, 0.5)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(backoff.delay(Integer.MAX_VALUE, 0.5)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> backoff.delay(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> backoff.delay(1, 1.0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
