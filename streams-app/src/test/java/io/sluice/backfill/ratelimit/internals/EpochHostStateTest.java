package io.sluice.backfill.ratelimit.internals;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.WindowAlignment;
import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 20/s host with epoch-aligned windows: tasks are released 500 ms ahead of their released_at, so
 * pauses and budgets must hold back released_at instants, not the releases themselves.
 */
class EpochHostStateTest {

    private static final String HOST = "pds.example.com";
    private static final long T0 = 1_000_000; // a window start
    private static final long DISPATCH = 500;
    private static final long PUNCTUATION = 50;
    private final RateLimiterConfig config = RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).defaultPolicy(RateLimitPolicy.parse("20/s"))
            .timing(RateLimiterConfig.Timing.defaults().withAlignment(WindowAlignment.EPOCH)).build();
    private HostState state;

    @BeforeEach
    void queueALot() {
        state = HostState.fresh(HOST, HostLimits.of(config, HOST), T0);
        for (int i = 0; i < 1000; i++) state.claimTail();
    }

    /**
     * The PDS says "0 remaining, reset at the window end" after the window's last request, every
     * window. Pausing releases (not released_at instants) until reset + margin left the next window's
     * slots in the past, so every other window went unused: 50% of the allowance.
     */
    @Test
    void nothingRemainingUntilTheResetDoesNotCostTheNextWindow() {
        List<Long> releasedAt = new ArrayList<>();
        for (long now = T0 - DISPATCH; now < T0 + 4_000; now += PUNCTUATION) {
            long windowEnd = (Math.floorDiv(now, 1000) + 1) * 1000;
            if (now % 1000 == 600) SignalRules.apply(state, headers(0, windowEnd, now), now, config.timing());
            for (long at : state.release(now, DISPATCH, PUNCTUATION)) releasedAt.add(at);
        }
        for (long window = T0; window < T0 + 4_000; window += 1000) {
            long start = window;
            List<Long> in = releasedAt.stream().filter(t -> t >= start && t < start + 1000).toList();
            assertThat(in).as("window at +%d ms", window - T0).hasSize(20);
        }
    }

    @Test
    void aPauseHoldsBackReleasedAtNotTheRelease() {
        SignalRules.apply(state, throttled(T0 + 1_000, T0 + 200), T0 + 200, config.timing());
        assertThat(state.pausedUntil()).isEqualTo(T0 + 1_030);
        assertThat(state.release(T0 + 400, DISPATCH, PUNCTUATION)).isEmpty();
        long[] at = state.release(T0 + 550, DISPATCH, PUNCTUATION);
        assertThat(at).isNotEmpty();
        assertThat(java.util.Arrays.stream(at).min().orElseThrow()).isGreaterThanOrEqualTo(T0 + 1_030);
    }

    private static RateLimitSignal throttled(long resetAt, long observedAt) {
        return new RateLimitSignal(HOST, RateLimitKind.THROTTLED_429, 20, 0, Instant.ofEpochMilli(resetAt), null,
                Instant.ofEpochMilli(observedAt));
    }

    private static RateLimitSignal headers(int remaining, long resetAt, long observedAt) {
        return new RateLimitSignal(HOST, RateLimitKind.HEADERS, 20, remaining, Instant.ofEpochMilli(resetAt), "20;w=1",
                Instant.ofEpochMilli(observedAt));
    }
}
