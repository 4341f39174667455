/**
 * The fetcher ({@code sluice fetcher}): the consumer group on {@code backfill.fetch} that downloads
 * each repository ({@code com.atproto.sync.getRepo}) and produces its records. Entry points:
 * {@link io.sluice.backfill.fetch.FetcherApp} with a {@link io.sluice.backfill.fetch.FetcherConfig}.
 *
 * <p><b>Pipeline of one task</b> ({@code TaskRunner}): wait until {@code released_at}; if
 * {@code not_after} passed before a download slot was free, send the task back unchanged on
 * {@code backfill.retry} (a fetcher that was paused fires no burst); else download, streaming the
 * body into a {@code BlockStore} (each block's CID checked against its sha-256), walk the MST from
 * the commit's {@code data} root and produce each record as a RepoRecord (key: DID), then a
 * DidStatus DONE.
 *
 * <p><b>Failures</b> ({@link io.sluice.backfill.fetch.FailureReason}): 429 sends a THROTTLED_429
 * RateLimitSignal and the task (attempt + 1) to {@code backfill.retry}; 5xx, timeouts, truncated
 * or incomplete bodies go back the same way after an exponential back-off, so every request the
 * fetcher makes was released by the limiter; after the last attempt, and at once for malformed or
 * oversized repositories, 4xx and refused endpoints, the original task goes to {@code backfill.dlq}
 * with {@code sluice.dlq.*} headers (reason, source topic/partition/offset, error class and
 * message) and a DidStatus FAILED. No input stops a worker.
 *
 * <p><b>Rate-limit headers</b>: a HEADERS signal only when {@code ratelimit-remaining} is low, at
 * most one per host per second, and once after a 429 (see {@code SignalThrottle}): the limiter's own
 * window already accounts for our requests, so routine headers would only double signal traffic.
 *
 * <p><b>Memory</b>: blocks must be kept until the whole CAR is in (PDSes, and the simulator, send
 * records before the tree nodes that name them), so memory is bounded by a setting, not by the
 * repository: all downloads share {@code blockMemoryBytes} of heap for block bytes and their
 * indexes; beyond it both spill to unlinked temporary files (the index to a memory-mapped one), so
 * neither the CAR's size nor its block count moves the heap ({@code io.sluice.backfill.atproto.store}).
 * A 200 MB repository (646,000 records) is fetched by a fetcher with a 512 MB heap
 * ({@code BigRepositoryIT}); a CAR of 6.5 million tiny blocks is extracted within 256 MB ({@code CarMemoryIT}).
 *
 * <p><b>Delivery</b>: at-least-once. An offset is committed only when every output of its task and
 * of all earlier tasks of the partition is acknowledged; the records sink upserts, so the
 * duplicates a crash causes are harmless.
 *
 * <p><b>Endpoints</b>: PDS URLs come from DID documents anyone can write, so loopback and private
 * addresses are refused unless allowed ({@code allowedPrivateHosts}); redirects are not followed.
 */
package io.sluice.backfill.fetch;
