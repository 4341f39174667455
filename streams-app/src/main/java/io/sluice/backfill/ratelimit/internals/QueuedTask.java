package io.sluice.backfill.ratelimit.internals;

import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.ResolvedDid;

import java.time.Instant;
import java.util.Objects;

/**
 * A task waiting in a host's queue (the {@code ratelimit-queue} store), with what the FetchTask it
 * becomes needs.
 *
 * @param attempt    1 for a resolved DID; the fetcher's count for a task it sent back
 * @param enqueuedAt when the limiter queued it (epoch ms), for waiting-time metrics
 */
public record QueuedTask(String did, String pdsEndpoint, String pdsHost, String runId, int attempt, long enqueuedAt) {

    public QueuedTask {
        Objects.requireNonNull(did, "did");
        Objects.requireNonNull(pdsEndpoint, "pdsEndpoint");
        Objects.requireNonNull(pdsHost, "pdsHost");
        Objects.requireNonNull(runId, "runId");
    }

    public static QueuedTask of(ResolvedDid r, long now) {
        return new QueuedTask(r.getDid(), r.getPdsEndpoint(), r.getPdsHost(), r.getRunId(), 1, now);
    }

    /** A task a fetcher sent back (expired, or throttled): it keeps its attempt count. */
    public static QueuedTask retry(FetchTask t, long now) {
        return new QueuedTask(t.getDid(), t.getPdsEndpoint(), t.getPdsHost(), t.getRunId(),
                Math.max(1, t.getAttempt()), now);
    }

    /** The task to be started at {@code releasedAt} and no later than {@code notAfter}. */
    public FetchTask release(long releasedAt, long notAfter) {
        return new FetchTask(did, pdsEndpoint, pdsHost, runId, attempt, Instant.ofEpochMilli(notAfter),
                Instant.ofEpochMilli(releasedAt));
    }
}
