package io.sluice.backfill.ratelimit;

import io.sluice.backfill.ratelimit.RateLimiterConfig.Timing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Epoch-aligned scheduling ({@link WindowAlignment#EPOCH}) on a fake clock: punctuations every 50 ms,
 * each up to 20 ms late, an endless backlog. A request may start anywhere between its released_at and
 * its not_after and still must land in the window its slot was counted in.
 */
class EpochWindowLimiterTest {

    private static final Duration PUNCTUATION = Duration.ofMillis(50);
    private static final long DISPATCH_DELAY = 500;
    private static final Timing EPOCH = Timing.defaults().withAlignment(WindowAlignment.EPOCH);

    /** Issue 3: the sliding window allows at most limit / (window + margin), and 20/s tasks expire 22 ms after released_at. */
    @Test
    void issue3TheWholeAllowanceWithDeadlinesOfAQuarterWindow() {
        RateLimitPolicy policy = RateLimitPolicy.parse("20/s");
        WindowLimiter limiter = limiter(policy, 0);
        List<long[]> tasks = drain(limiter, 0, 100_000, new Random(1));

        long inFirst100s = tasks.stream().filter(t -> t[0] < 100_000).count();
        assertThat(inFirst100s).as("every window's whole allowance").isGreaterThanOrEqualTo(99 * 20);
        long ttl = EPOCH.ttlFor(policy).toMillis();
        for (long[] t : tasks) {
            assertThat(t[1] - t[0]).as("a task may start late by at least a quarter window").isGreaterThanOrEqualTo(250);
            assertThat(t[1]).isLessThanOrEqualTo(t[0] + ttl);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"20/s", "5/s", "100/s", "1/s", "3000/300s", "3/100ms", "500/s"})
    void requestsStartedAnywhereWithinTheirDeadlinesStayWithinTheLimitOfEveryFixedWindow(String text) {
        RateLimitPolicy policy = RateLimitPolicy.parse(text);
        long guard = EPOCH.guardFor(policy).toMillis();
        Random random = new Random(7);
        List<long[]> tasks = drain(limiter(policy, 0), 0, Math.max(30 * policy.windowMillis(), 60_000), random);

        assertThat(tasks).isNotEmpty();
        List<Long> earliest = new ArrayList<>();
        List<Long> latest = new ArrayList<>();
        for (long[] t : tasks) {
            assertThat(t[1]).isGreaterThanOrEqualTo(t[0]);
            earliest.add(t[0]);
            // started at not_after and counted by the PDS up to the guard later
            latest.add(t[1] + guard - 1);
        }
        latest.sort(null);
        assertThat(Windows.maxInAnyFixedWindow(earliest, policy.windowMillis())).isLessThanOrEqualTo(policy.limit());
        assertThat(Windows.maxInAnyFixedWindow(latest, policy.windowMillis())).isLessThanOrEqualTo(policy.limit());
        for (long[] t : tasks) {
            assertThat(Math.floorDiv(t[1] + guard - 1, policy.windowMillis()))
                    .isEqualTo(Math.floorDiv(t[0], policy.windowMillis()));
        }
    }

    @Test
    void slotsAreSpreadOverTheFirstPartOfEachWindow() {
        EpochSlots slots = new EpochSlots(20, 1000, 250);
        assertThat(slots.slot(5_000, 0, 4_600)).isEqualTo(5_000);
        assertThat(slots.slot(5_000, 1, 4_600)).isEqualTo(5_025);
        assertThat(slots.slot(5_000, 19, 4_600)).isEqualTo(5_475);
        assertThat(slots.slot(5_000, 20, 4_600)).as("full").isEqualTo(-1);
        assertThat(slots.slot(5_000, 3, 5_300)).as("behind: as soon as allowed").isEqualTo(5_300);
        assertThat(slots.slot(5_000, 3, 5_500)).as("too late in the window").isEqualTo(-1);
        assertThat(slots.notAfter(5_000, 1_000)).isEqualTo(5_750);
        assertThat(slots.notAfter(5_000, 100)).isEqualTo(5_100);
    }

    @Test
    void aRestartOverThePersistedLogSchedulesNothingMoreIntoAWindow() {
        RateLimitPolicy policy = RateLimitPolicy.parse("20/s");
        Random random = new Random(3);
        WindowLimiter before = limiter(policy, 0);
        // stopped while window [6000, 7000) is partly scheduled (slots go out up to 550 ms ahead)
        List<long[]> beforeRestart = drain(before, 0, 5_620, random);
        List<long[]> tasks = new ArrayList<>(beforeRestart);
        ReleaseLog copy = new ReleaseLog();
        for (int i = 0; i < before.log().size(); i++) copy.record(before.log().instantAt(i), before.log().countAt(i));
        WindowLimiter after = WindowLimiter.restore(policy, EPOCH.marginFor(policy), PUNCTUATION, before.slots(), copy,
                before.pacing().tokens(), before.pacing().lastRefillAt());
        tasks.addAll(drain(after, 5_700, 10_000, random));

        List<Long> starts = tasks.stream().map(t -> t[0]).sorted().toList();
        assertThat(Windows.maxInAnyFixedWindow(starts, 1000)).isEqualTo(20);

        List<long[]> forgetful = new ArrayList<>(beforeRestart);
        forgetful.addAll(drain(limiter(policy, 5_700), 5_700, 10_000, new Random(3)));
        assertThat(Windows.maxInAnyFixedWindow(forgetful.stream().map(t -> t[0]).sorted().toList(), 1000))
                .as("control: no history, no guarantee").isGreaterThan(20);
    }

    /** Slots released ahead of time wait at the fetcher, so a limiter stall costs only the slots it had not released yet. */
    @Test
    void theLookaheadKeepsAStalledLimitersSlots() {
        RateLimitPolicy policy = RateLimitPolicy.parse("20/s");
        long lookahead = EPOCH.lookaheadFor(policy).toMillis();
        assertThat(lookahead).isEqualTo(500);
        assertThat(inWindowAfterAStall(policy, lookahead)).isEqualTo(11); // slots up to 5,250 went out at 4,250
        assertThat(inWindowAfterAStall(policy, PUNCTUATION.toMillis())).isZero();
    }

    /** Tasks in window [5000, 6000) when no punctuation runs from 4,300 to 5,000. */
    private static long inWindowAfterAStall(RateLimitPolicy policy, long lookahead) {
        WindowLimiter limiter = limiter(policy, 0);
        long inWindow = 0;
        for (long now = 0; now < 7_000; now += PUNCTUATION.toMillis()) {
            if (now > 4_250 && now < 5_000) continue;
            for (long at : limiter.release(now, Integer.MAX_VALUE, DISPATCH_DELAY, lookahead, 0)) {
                if (at >= 5_000 && at < 6_000) inWindow++;
            }
        }
        return inWindow;
    }

    @Test
    void theAlignmentIsParsedStrictly() {
        assertThat(WindowAlignment.parse(" Epoch ")).isEqualTo(WindowAlignment.EPOCH);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WindowAlignment.parse("fixed"))
                .hasMessageContaining("sliding, epoch");
    }

    private static WindowLimiter limiter(RateLimitPolicy policy, long now) {
        EpochSlots slots = new EpochSlots(policy.limit(), policy.windowMillis(), EPOCH.guardFor(policy).toMillis());
        return WindowLimiter.restore(policy, EPOCH.marginFor(policy), PUNCTUATION, slots, new ReleaseLog(),
                Double.MAX_VALUE, now);
    }

    /** (released_at, not_after) of every task released by punctuations from {@code from} to {@code until}. */
    private static List<long[]> drain(WindowLimiter limiter, long from, long until, Random random) {
        List<long[]> tasks = new ArrayList<>();
        long ttl = EPOCH.taskTtl().toMillis();
        for (long tick = from; tick < until; tick += PUNCTUATION.toMillis()) {
            long now = tick + random.nextInt(21);
            for (long at : limiter.release(now, Integer.MAX_VALUE, DISPATCH_DELAY, PUNCTUATION.toMillis(), 0)) {
                assertThat(at).isGreaterThanOrEqualTo(now + DISPATCH_DELAY);
                tasks.add(new long[] {at, limiter.notAfter(at, ttl)});
            }
        }
        return tasks;
    }
}
