package io.sluice.backfill.ratelimit.internals;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Signals on a fake clock; host policy 20/s, so the margin is 30 ms. */
class SignalRulesTest {

    private static final String HOST = "pds.example.com";
    private static final long T0 = 1_000_000;
    private final RateLimiterConfig config = RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).defaultPolicy(RateLimitPolicy.parse("20/s"))
            .build();
    private HostState state;

    @BeforeEach
    void queueALot() {
        state = HostState.fresh(HOST, HostLimits.of(config, HOST), T0);
        for (int i = 0; i < 1000; i++) state.claimTail();
    }

    @Test
    void a429WithResetPausesUntilTheResetPlusTheMargin() {
        apply(throttled(T0 + 3_000, T0), T0 + 10);
        assertThat(state.pausedUntil()).isEqualTo(T0 + 3_030);
        assertThat(state.acquire(T0 + 3_029)).isZero();
        assertThat(state.acquire(T0 + 3_030)).isPositive();
    }

    @Test
    void a429WithoutResetBacksOffAndDoublesOnlyForANewStreak() {
        apply(throttled(null, T0), T0);
        assertThat(state.pausedUntil()).isEqualTo(T0 + 10_000);
        apply(throttled(null, T0 + 5), T0 + 10); // in flight with the first: same streak
        assertThat(state.consecutive429s()).isEqualTo(1);
        assertThat(state.pausedUntil()).isEqualTo(T0 + 10_010);
        apply(throttled(null, T0 + 11_000), T0 + 11_000); // after the pause: the streak goes on
        assertThat(state.consecutive429s()).isEqualTo(2);
        assertThat(state.pausedUntil()).isEqualTo(T0 + 31_000);
        apply(headers(100, T0 + 40_000, T0 + 32_000), T0 + 32_000);
        assertThat(state.consecutive429s()).as("a good response ends the streak").isZero();
    }

    @Test
    void headersWithNothingRemainingPauseUntilTheReset() {
        apply(headers(0, T0 + 3_000, T0), T0);
        assertThat(state.pausedUntil()).isEqualTo(T0 + 3_030);
        assertThat(state.acquire(T0 + 2_000)).isZero();
    }

    @Test
    void headersWithSomeRemainingAllowThatManyMinusWhatWasReleasedSince() {
        assertThat(state.acquire(T0)).isEqualTo(5); // full pacing bucket, released before the response
        assertThat(state.acquire(T0 + 100)).isEqualTo(1); // released after it
        apply(headers(3, T0 + 1_000, T0 + 60), T0 + 120);
        assertThat(state.budget()).isEqualTo(2);
        int released = 0;
        for (long t = T0 + 150; t < T0 + 1_030; t += 50) released += state.acquire(t);
        assertThat(released).isEqualTo(2);
        assertThat(state.acquire(T0 + 1_030)).as("the budget ends with the window (plus margin)").isPositive();
    }

    @Test
    void staleOrExpiredHeadersChangeNothing() {
        apply(headers(5, T0 + 1_000, T0 + 500), T0 + 500);
        apply(headers(0, T0 + 1_000, T0 + 400), T0 + 510); // older response, processed later
        assertThat(state.pausedUntil()).isZero();
        assertThat(state.budget()).isEqualTo(5);
        apply(headers(0, T0 + 600, T0 + 590), T0 + 700); // its window has already reset
        assertThat(state.pausedUntil()).isZero();
    }

    @Test
    void remembersWhatTheHostSaid() {
        RateLimitSignal s = new RateLimitSignal(HOST, RateLimitKind.HEADERS, 3000, 2999, Instant.ofEpochMilli(T0 + 300_000),
                "3000;w=300", Instant.ofEpochMilli(T0));
        apply(s, T0);
        assertThat(state.learned()).isEqualTo(new Learned(3000, 2999, T0 + 300_000, "3000;w=300", T0));
    }

    private void apply(RateLimitSignal signal, long now) {
        SignalRules.apply(state, signal, now, config.timing());
    }

    private static RateLimitSignal throttled(Long resetAt, long observedAt) {
        return new RateLimitSignal(HOST, RateLimitKind.THROTTLED_429, null, 0,
                resetAt == null ? null : Instant.ofEpochMilli(resetAt), null, Instant.ofEpochMilli(observedAt));
    }

    private static RateLimitSignal headers(int remaining, long resetAt, long observedAt) {
        return new RateLimitSignal(HOST, RateLimitKind.HEADERS, 20, remaining, Instant.ofEpochMilli(resetAt), "20;w=1",
                Instant.ofEpochMilli(observedAt));
    }
}
