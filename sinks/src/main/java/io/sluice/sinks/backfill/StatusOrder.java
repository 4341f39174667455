package io.sluice.sinks.backfill;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;

/**
 * Which of two statuses of one DID is the later: the rule of {@code backfill_dids}'s upsert (see
 * V3__backfill_tables.sql and V7's {@code backfill_state_rank}), applied in Java to the statuses of one
 * batch, since one INSERT cannot update a row twice. Within a run a state never goes back
 * (QUEUED &lt; RESOLVED &lt; FETCHING &lt; FAILED &lt; DONE = PARTIAL: both are a complete read, see
 * V7__backfill_partial.sql), equal ranks go by updated_at; across runs
 * the later updated_at wins.
 */
final class StatusOrder {

    private StatusOrder() {
    }

    static int rank(DidState state) {
        return switch (state) {
            case QUEUED -> 0;
            case RESOLVED -> 1;
            case FETCHING -> 2;
            case FAILED -> 3;
            case DONE, PARTIAL -> 4;
        };
    }

    /** True when {@code candidate} replaces {@code current}; a tie keeps {@code current}. */
    static boolean supersedes(DidStatus candidate, DidStatus current) {
        int byTime = candidate.getUpdatedAt().compareTo(current.getUpdatedAt());
        if (!candidate.getRunId().equals(current.getRunId())) return byTime > 0;
        int byRank = Integer.compare(rank(candidate.getState()), rank(current.getState()));
        return byRank != 0 ? byRank > 0 : byTime > 0;
    }
}
