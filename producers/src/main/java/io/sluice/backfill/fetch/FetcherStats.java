package io.sluice.backfill.fetch;

import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of one fetcher instance, for progress lines and benchmarks. Thread-safe.
 */
public final class FetcherStats {

    final LongAdder done = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder expired = new LongAdder();
    final LongAdder throttled = new LongAdder();
    final LongAdder records = new LongAdder();
    final LongAdder bytes = new LongAdder();
    final LongAdder partial = new LongAdder();
    final LongAdder recordsDeadLettered = new LongAdder();
    final LongAdder unchanged = new LongAdder();
    final LongAdder changed = new LongAdder();
    final LongAdder lookupsLate = new LongAdder();

    /**
     * @param done      repositories fully produced (DidStatus DONE)
     * @param failed    tasks dead-lettered (DidStatus FAILED, or undecodable)
     * @param retried   tasks sent back to the limiter after a failed attempt (429 included)
     * @param expired   tasks sent back unfetched because their not_after had passed
     * @param throttled 429 responses
     * @param records   RepoRecords produced
     * @param bytes     CAR bytes downloaded by successful attempts
     * @param partial   repositories stored without some of their records (DidStatus PARTIAL)
     * @param recordsDeadLettered records of stored repositories not produced (dead-lettered or past a limit)
     * @param unchanged repositories the PDS still had at the stored revision: DidStatus DONE, not downloaded
     *                  (not counted in {@code done})
     * @param changed   repositories the PDS had at another revision than the stored one (or whose revision it
     *                  could not tell): sent back to the limiter for a download
     * @param lookupsLate stored-revision lookups not answered by the time the task had to start, so the
     *                  repository was downloaded without asking
     */
    public record Snapshot(long done, long failed, long retried, long expired, long throttled, long records, long bytes,
                           long partial, long recordsDeadLettered, long unchanged, long changed, long lookupsLate) {
    }

    public Snapshot snapshot() {
        return new Snapshot(done.sum(), failed.sum(), retried.sum(), expired.sum(), throttled.sum(), records.sum(), bytes.sum(),
                partial.sum(), recordsDeadLettered.sum(), unchanged.sum(), changed.sum(), lookupsLate.sum());
    }
}
