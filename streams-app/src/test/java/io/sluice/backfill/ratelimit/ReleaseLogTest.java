package io.sluice.backfill.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseLogTest {

    @Test
    void countsReleasesAfterAnInstant() {
        ReleaseLog log = new ReleaseLog();
        log.record(100, 2);
        log.record(200, 1);
        log.record(300, 3);
        assertThat(log.countAfter(99)).isEqualTo(6);
        assertThat(log.countAfter(100)).isEqualTo(4);
        assertThat(log.countSince(200)).isEqualTo(4);
        assertThat(log.countAfter(300)).isZero();
    }

    @Test
    void releasesAtTheSameOrAnEarlierInstantJoinTheNewestEntry() {
        ReleaseLog log = new ReleaseLog();
        log.record(100, 1);
        log.record(100, 1);
        log.record(50, 1); // clock stepped back: counted as of 100, later than it happened
        assertThat(log.size()).isEqualTo(1);
        assertThat(log.countAfter(99)).isEqualTo(3);
    }

    @Test
    void forgetsOldEntries() {
        ReleaseLog log = new ReleaseLog();
        for (int t = 0; t < 10; t++) log.record(t * 100L, 1);
        log.forgetUpTo(450);
        assertThat(log.size()).isEqualTo(5);
        assertThat(log.instantAt(0)).isEqualTo(500);
        log.forgetUpTo(10_000);
        assertThat(log.isEmpty()).isTrue();
    }

    @Test
    void compactionOnlyMovesReleasesLaterSoCountsNeverFallBelowTheTruth() {
        Random random = new Random(7);
        ReleaseLog log = new ReleaseLog(8);
        List<Long> truth = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 500; i++) {
            t += 1 + random.nextInt(50);
            int n = 1 + random.nextInt(3);
            for (int k = 0; k < n; k++) truth.add(t);
            log.record(t, n);
            assertThat(log.size()).isLessThanOrEqualTo(8);
            long probe = t - random.nextInt(2_000);
            long exact = truth.stream().filter(x -> x > probe).count();
            assertThat(log.countAfter(probe)).isGreaterThanOrEqualTo((int) exact);
            assertThat(log.countAfter(-1)).isEqualTo(truth.size());
            assertThat(log.countAfter(probe)).as("over-counts by less than one grid step")
                    .isLessThanOrEqualTo((int) truth.stream().filter(x -> x > probe - log.granularity()).count());
        }
    }

    @Test
    void whenFullTheGridDoublesAndEntriesMoveUpToIt() {
        ReleaseLog log = new ReleaseLog(3);
        log.record(1, 1);
        log.record(2, 1);
        log.record(3, 1);
        assertThat(log.granularity()).isEqualTo(1);
        log.record(4, 1); // 4 entries: grid 2 gives 2, 2, 4, 4
        assertThat(log.granularity()).isEqualTo(2);
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.instantAt(0)).isEqualTo(2);
        assertThat(log.countAt(0)).isEqualTo(2);
        assertThat(log.instantAt(1)).isEqualTo(4);
        log.record(5, 1); // rounds up to 6
        assertThat(log.instantAt(2)).isEqualTo(6);
        log.forgetUpTo(6);
        assertThat(log.granularity()).as("an empty log is exact again").isEqualTo(1);
    }

    @Test
    void aLongBusyWindowSettlesOnAGridThatFits() {
        ReleaseLog log = new ReleaseLog();
        for (long t = 0; t < 600_000; t += 100) {
            log.record(t, 1);
            log.forgetUpTo(t - 301_000);
        }
        assertThat(log.size()).isLessThanOrEqualTo(ReleaseLog.DEFAULT_MAX_ENTRIES);
        assertThat(log.granularity()).isEqualTo(2048);
    }
}
