package io.sluice.backfill.ratelimit.internals;

import io.sluice.backfill.ratelimit.RateLimiterConfig.Timing;
import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;

/**
 * How a {@link RateLimitSignal} from a fetcher changes a host's state. Pure: the time is passed in.
 * <ul>
 * <li><b>429</b>: the PDS refused a request, so our accounting and the PDS's disagree (another
 * client shares the budget, or its limit is lower than configured). The host pauses until
 * ratelimit-reset plus the host's margin, or, without a reset, for the throttle back-off, doubled for
 * each 429 of a streak. 429s answered while a pause was already in force (requests that were in
 * flight together) belong to the same streak.</li>
 * <li><b>headers</b> with ratelimit-remaining and ratelimit-reset: until reset plus margin the host
 * releases at most {@code remaining} minus what was released since the response was received
 * (those releases were not yet counted by the PDS); with nothing left it pauses. Requests released
 * before the response but still in flight are not subtracted: the sliding window already keeps our
 * own traffic within the limit, and a 429 covers the rest. Only the newest headers count; a reset in
 * the past, or a response older than the host's window, says nothing about now.</li>
 * </ul>
 * Limit and policy headers are recorded ({@link Learned}) but never loosen the configured policy.
 */
public final class SignalRules {

    private SignalRules() {
    }

    /** Applies {@code signal} to {@code state} at {@code now}. */
    public static void apply(HostState state, RateLimitSignal signal, long now, Timing timing) {
        long observedAt = signal.getObservedAt().toEpochMilli();
        Long resetAt = signal.getResetAt() == null ? null : signal.getResetAt().toEpochMilli();
        if (observedAt >= state.learned().observedAt()) {
            state.learned(new Learned(signal.getLimit(), signal.getRemaining(), resetAt, signal.getPolicy(), observedAt));
        }
        long margin = state.limits().margin().toMillis();
        if (signal.getKind() == RateLimitKind.THROTTLED_429) {
            state.throttled(observedAt, observedAt >= state.pausedUntil());
            long until = resetAt != null && resetAt > now
                    ? resetAt + margin
                    : now + timing.backoffAfter(Math.max(1, state.consecutive429s())).toMillis();
            state.pauseUntil(until);
            return;
        }
        if (observedAt < state.lastHeadersAt()) return;
        state.headersObservedAt(observedAt);
        Integer remaining = signal.getRemaining();
        if (remaining != null && remaining > 0 && observedAt > state.last429At()) state.streakEnded();
        if (remaining == null || resetAt == null || resetAt <= now) return;
        if (observedAt < now - state.limiter().horizonMillis()) return;
        int left = Math.max(0, remaining - state.limiter().log().countSince(observedAt));
        state.limitBudget(left, resetAt + margin);
        if (left == 0) state.pauseUntil(resetAt + margin);
    }
}
