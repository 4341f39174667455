package io.sluice.backfill.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {

    @Test
    void startsFullAndRefillsAtItsRateUpToCapacity() {
        TokenBucket b = TokenBucket.full(0.01, 3, 1_000); // 10 per second
        assertThat(b.available(1_000)).isEqualTo(3);
        b.take(1_000, 3);
        assertThat(b.available(1_000)).isZero();
        assertThat(b.available(1_099)).isZero();
        assertThat(b.available(1_100)).isEqualTo(1);
        assertThat(b.available(1_250)).isEqualTo(2);
        assertThat(b.available(60_000)).isEqualTo(3);
    }

    @Test
    void fractionsCarryOverBetweenCalls() {
        TokenBucket b = new TokenBucket(0.01, 2, 0, 0);
        int taken = 0;
        for (long t = 0; t < 10_010; t += 7) {
            int n = b.available(t);
            b.take(t, n);
            taken += n;
        }
        assertThat(taken).isEqualTo(100);
    }

    @Test
    void clockGoingBackwardsAccruesNothing() {
        TokenBucket b = new TokenBucket(0.01, 5, 0, 10_000);
        assertThat(b.available(5_000)).isZero();
        assertThat(b.lastRefillAt()).isEqualTo(10_000);
        assertThat(b.available(10_100)).isEqualTo(1);
    }

    @Test
    void cannotTakeMoreThanAvailable() {
        TokenBucket b = new TokenBucket(0.01, 5, 1, 0);
        assertThatThrownBy(() -> b.take(0, 2)).hasMessageContaining("cannot take 2 tokens, 1 available");
        assertThatThrownBy(() -> b.take(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesAndClampsItsState() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0, 0)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new TokenBucket(1, 0.5, 0, 0)).hasMessageContaining("at least 1");
        assertThat(new TokenBucket(1, 4, 99, 0).tokens()).isEqualTo(4);
        assertThat(new TokenBucket(1, 4, -3, 0).tokens()).isZero();
        assertThat(new TokenBucket(1, 4, Double.NaN, 0).tokens()).isZero();
    }
}
