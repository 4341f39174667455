package io.sluice.backfill.ratelimit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The window math on a fake clock: punctuations arrive late by a random amount, the queue never runs dry. */
class WindowLimiterTest {

    private static final Duration PUNCTUATION = Duration.ofMillis(50);

    @ParameterizedTest(name = "{0} with margin {1} ms")
    @CsvSource({"20/s, 30", "5/s, 30", "100/s, 30", "3000/300s, 1000", "1/s, 30", "3/100ms, 5", "2/40ms, 2", "500/s, 30"})
    void neverMoreThanTheLimitInAnyWindow(String text, long marginMs) {
        RateLimitPolicy policy = RateLimitPolicy.parse(text);
        long horizon = policy.windowMillis() + marginMs;
        List<Long> releases = drain(WindowLimiter.start(policy, Duration.ofMillis(marginMs), PUNCTUATION, 0), 0,
                Math.max(30 * policy.windowMillis(), 60_000), new Random(42));

        assertThat(releases).isNotEmpty();
        assertThat(Windows.maxInAnyWindow(releases, horizon)).isLessThanOrEqualTo(policy.limit());
        assertThat(Windows.maxInAnyWindow(releases, policy.windowMillis())).isLessThanOrEqualTo(policy.limit());
        assertThat(Windows.maxInAnyFixedWindow(releases, policy.windowMillis())).isLessThanOrEqualTo(policy.limit());
    }

    /** Where the window is long against the punctuation interval, the long-run rate is limit / (window + margin). */
    @ParameterizedTest(name = "{0} with margin {1} ms")
    @CsvSource({"20/s, 30", "5/s, 30", "100/s, 30", "500/s, 30", "3000/300s, 1000", "60/m, 1000"})
    void theLongRunRateIsTheLimitOverTheHorizon(String text, long marginMs) {
        RateLimitPolicy policy = RateLimitPolicy.parse(text);
        long horizon = policy.windowMillis() + marginMs;
        long duration = Math.max(30 * policy.windowMillis(), 60_000);
        List<Long> releases = drain(WindowLimiter.start(policy, Duration.ofMillis(marginMs), PUNCTUATION, 0), 0,
                duration, new Random(42));

        double allowed = (double) policy.limit() * duration / horizon;
        assertThat((double) releases.size()).isBetween(0.98 * allowed, allowed + policy.limit());
    }

    @Test
    void theBenchmarkCaseReachesNinetySevenPercentOfTheRawLimit() {
        RateLimitPolicy policy = RateLimitPolicy.parse("20/s");
        Duration margin = RateLimiterConfig.Timing.defaults().marginFor(policy);
        assertThat(margin).isEqualTo(Duration.ofMillis(30));
        List<Long> releases = drain(WindowLimiter.start(policy, margin, PUNCTUATION, 0), 0, 100_000, new Random(1));
        assertThat(releases.size() / 100.0).isGreaterThan(0.95 * 20);
        assertThat(Windows.maxInAnyWindow(releases, 1030)).isLessThanOrEqualTo(20);
    }

    @Test
    void pacingSpreadsAWindowsAllowanceInsteadOfReleasingItAtOnce() {
        RateLimitPolicy policy = RateLimitPolicy.PDS_DEFAULT;
        WindowLimiter limiter = WindowLimiter.start(policy, Duration.ofSeconds(1), PUNCTUATION, 0);
        assertThat(limiter.acquire(0, 10_000)).isEqualTo(3); // a full pacing bucket, not 3,000
        int firstSecond = 3;
        for (long t = 50; t <= 1000; t += 50) firstSecond += limiter.acquire(t, 10_000);
        assertThat(firstSecond).isBetween(12, 14); // ~10/s after the first 3
    }

    @Test
    void restoredStateCarriesTheWindowAcrossARestart() {
        RateLimitPolicy policy = RateLimitPolicy.parse("20/s");
        Duration margin = Duration.ofMillis(30);
        Random random = new Random(3);
        WindowLimiter before = WindowLimiter.start(policy, margin, PUNCTUATION, 0);
        List<Long> releases = new ArrayList<>(drain(before, 0, 5_020, random));
        // the "restart": a new limiter over the persisted log and bucket, a little later
        ReleaseLog copy = new ReleaseLog();
        for (int i = 0; i < before.log().size(); i++) copy.record(before.log().instantAt(i), before.log().countAt(i));
        WindowLimiter after = WindowLimiter.restore(policy, margin, PUNCTUATION, copy, before.pacing().tokens(),
                before.pacing().lastRefillAt());
        releases.addAll(drain(after, 5_100, 10_000, random));
        assertThat(Windows.maxInAnyWindow(releases, 1030)).isLessThanOrEqualTo(20);

        WindowLimiter forgetful = WindowLimiter.start(policy, margin, PUNCTUATION, 5_100);
        List<Long> withoutHistory = new ArrayList<>(releases.subList(0, releases.indexOf(releases.stream()
                .filter(t -> t >= 5_100).findFirst().orElseThrow())));
        withoutHistory.addAll(drain(forgetful, 5_100, 10_000, new Random(3)));
        assertThat(Windows.maxInAnyWindow(withoutHistory, 1030)).as("control: no history, no guarantee")
                .isGreaterThan(20);
    }

    @Test
    void idleOnceTheHorizonHasPassed() {
        WindowLimiter limiter = WindowLimiter.start(RateLimitPolicy.parse("5/s"), Duration.ofMillis(30), PUNCTUATION, 0);
        assertThat(limiter.isIdle(0)).isTrue();
        limiter.acquire(0, 1);
        assertThat(limiter.isIdle(1_029)).isFalse();
        assertThat(limiter.isIdle(1_030)).isTrue();
    }

    /** Punctuations every 50 ms, each up to 20 ms late, with an endless backlog. */
    static List<Long> drain(WindowLimiter limiter, long from, long until, Random random) {
        List<Long> releases = new ArrayList<>();
        for (long tick = from; tick < until; tick += PUNCTUATION.toMillis()) {
            long now = tick + random.nextInt(21);
            int n = limiter.acquire(now, Integer.MAX_VALUE);
            for (int i = 0; i < n; i++) releases.add(now);
        }
        return releases;
    }
}
