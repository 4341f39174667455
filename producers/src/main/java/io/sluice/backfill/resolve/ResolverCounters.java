package io.sluice.backfill.resolve;

/**
 * What a {@link Resolver} has done since it started.
 *
 * @param consumed    DidWorkItems read
 * @param resolved    DIDs resolved (ResolvedDid and status sent and acknowledged)
 * @param failed      records sent to the DLQ (acknowledged)
 * @param cacheHits   resolutions answered from the cache
 * @param retries     attempts repeated after a transient failure
 * @param commits     offset commits (one per polled batch)
 */
public record ResolverCounters(long consumed, long resolved, long failed, long cacheHits, long retries, long commits) {
}
