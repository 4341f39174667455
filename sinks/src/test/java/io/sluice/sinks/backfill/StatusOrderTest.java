package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class StatusOrderTest {

    private static final Instant T = Instant.parse("2025-03-14T09:00:00Z");

    static DidStatus status(DidState state, long secondsAfterT, String run) {
        return new DidStatus("did:plc:a", null, state, 0L, 0L, 0, null, T.plusSeconds(secondsAfterT), run, 0L, null);
    }

    @Test
    void withinARunTheStateNeverGoesBack() {
        assertThat(StatusOrder.supersedes(status(DidState.FETCHING, 1, "r"), status(DidState.DONE, 0, "r"))).isFalse();
        assertThat(StatusOrder.supersedes(status(DidState.QUEUED, 9, "r"), status(DidState.RESOLVED, 0, "r"))).isFalse();
        assertThat(StatusOrder.supersedes(status(DidState.DONE, 0, "r"), status(DidState.FETCHING, 5, "r"))).isTrue();
        assertThat(StatusOrder.supersedes(status(DidState.DONE, 0, "r"), status(DidState.FAILED, 0, "r"))).isTrue();
    }

    @Test
    void equalStatesGoByTimeAndATieKeepsTheCurrent() {
        assertThat(StatusOrder.supersedes(status(DidState.FETCHING, 2, "r"), status(DidState.FETCHING, 1, "r"))).isTrue();
        assertThat(StatusOrder.supersedes(status(DidState.FETCHING, 1, "r"), status(DidState.FETCHING, 2, "r"))).isFalse();
        assertThat(StatusOrder.supersedes(status(DidState.DONE, 1, "r"), status(DidState.DONE, 1, "r"))).isFalse();
        // DONE and PARTIAL are both a complete read: the later read wins either way
        assertThat(StatusOrder.supersedes(status(DidState.PARTIAL, 2, "r"), status(DidState.DONE, 1, "r"))).isTrue();
        assertThat(StatusOrder.supersedes(status(DidState.DONE, 2, "r"), status(DidState.PARTIAL, 1, "r"))).isTrue();
        assertThat(StatusOrder.supersedes(status(DidState.FAILED, 2, "r"), status(DidState.PARTIAL, 1, "r"))).isFalse();
    }

    @Test
    void aLaterRunStartsOverAndAnEarlierOneCannot() {
        assertThat(StatusOrder.supersedes(status(DidState.QUEUED, 60, "r2"), status(DidState.DONE, 0, "r1"))).isTrue();
        assertThat(StatusOrder.supersedes(status(DidState.DONE, 0, "r1"), status(DidState.QUEUED, 60, "r2"))).isFalse();
    }

    @Test
    void theRankFollowsThePipeline() {
        assertThat(java.util.Arrays.stream(DidState.values()).filter(s -> s != DidState.PARTIAL))
                .extracting(StatusOrder::rank).doesNotHaveDuplicates();
        assertThat(StatusOrder.rank(DidState.PARTIAL)).isEqualTo(StatusOrder.rank(DidState.DONE));
        assertThat(StatusOrder.rank(DidState.QUEUED)).isLessThan(StatusOrder.rank(DidState.RESOLVED));
        assertThat(StatusOrder.rank(DidState.RESOLVED)).isLessThan(StatusOrder.rank(DidState.FETCHING));
        assertThat(StatusOrder.rank(DidState.FETCHING)).isLessThan(StatusOrder.rank(DidState.FAILED));
        assertThat(StatusOrder.rank(DidState.FAILED)).isLessThan(StatusOrder.rank(DidState.DONE));
    }
}
