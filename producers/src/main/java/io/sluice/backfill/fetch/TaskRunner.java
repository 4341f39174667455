package io.sluice.backfill.fetch;

import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The life of one FetchTask, on a thread of its own. Consumes the task; produces, through
 * {@link Outputs}, exactly one of:
 * <ul>
 * <li>the repository's RepoRecords and a DidStatus DONE, when every record its tree lists was produced;</li>
 * <li>the repository's RepoRecords, a dead letter for each record that could not be produced (see
 * {@link RepoEmitter}; records past an extraction limit share one) or for blocks the CAR lacks on the last
 * attempt, and a DidStatus PARTIAL: records = those produced, dead_lettered = those not, last_error the
 * first reason;</li>
 * <li>the task on the retry topic: unchanged when its not_after passed before it could start
 * (never fetched late, so a paused fetcher fires no burst), with attempt + 1 after a retryable
 * failure (after the policy's back-off; a 429 also produces a THROTTLED_429 RateLimitSignal and
 * waits for the limiter's pause instead);</li>
 * <li>a dead letter and a DidStatus FAILED: permanent failures, and retryable ones on their last attempt;</li>
 * <li>when the records sink stored the repository completely before ({@link StoredRepos}; a first attempt,
 * without {@code --refetch}): no download but {@code getLatestCommit}, the same small request costing the
 * same token. At the stored revision, a DidStatus DONE with the stored counts and rev; at another (or no
 * answer to tell by), the task on the retry topic with attempt + 1, whose release downloads it.</li>
 * </ul>
 * plus, when {@link SignalThrottle} says so, a HEADERS RateLimitSignal. The task starts at its
 * released_at (the limiter spaced those; starting on arrival would re-bunch tasks that reach the
 * fetcher in batches) and holds one of the {@code maxInFlight} download slots only while downloading.
 *
 * <p>A back-off sleeps on the task's thread without a download slot, but the task stays pending, so
 * its partition's commits wait for it (at most {@code maxBackoff}); a crash meanwhile only means the
 * task is fetched again.
 *
 * <p>{@link TaskAcks#seal()} is called once everything is sent; an interrupt (the fetcher closing)
 * leaves the task unsealed, so its offset is not committed and another instance fetches it again.
 */
final class TaskRunner {

    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);
    /** Stored-revision lookups, off the task's thread so that they overlap its wait for released_at. */
    private static final Executor LOOKUPS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("sluice-fetch-lookup-", 0).factory());

    private final FetcherConfig config;
    private final RepoDownloader downloader;
    private final StoredRepos stored;
    private final Outputs outputs;
    private final SignalThrottle throttle;
    private final Semaphore slots;
    private final InstantSource clock;
    private final FetcherStats stats;

    TaskRunner(FetcherConfig config, RepoDownloader downloader, StoredRepos stored, Outputs outputs,
               SignalThrottle throttle, InstantSource clock, FetcherStats stats) {
        this.config = config;
        this.downloader = downloader;
        this.stored = stored;
        this.outputs = outputs;
        this.throttle = throttle;
        this.slots = new Semaphore(config.maxInFlight(), true); // fair: tasks start in release order
        this.clock = clock;
        this.stats = stats;
    }

    void run(ConsumerRecord<byte[], byte[]> source, FetchTask task, TaskAcks acks) throws InterruptedException {
        try {
            attempt(source, task, acks);
        } catch (RuntimeException e) {
            // A bug or a producer refusing a send: never end the worker; the send error, if any, is in
            // acks and stops the fetcher before the offset is committed.
            log.error("task for {} (attempt {}) failed unexpectedly", task.getDid(), task.getAttempt(), e);
            try {
                if (acks.failure() == null) {
                    handle(source, task, acks, new Attempt.Failed(FailureReason.INTERNAL_ERROR, e.toString(), e,
                            RateLimitHeaders.NONE, clock.millis()), null);
                }
            } catch (RuntimeException again) {
                acks.fail(again);
            }
        }
        acks.seal();
    }

    private void attempt(ConsumerRecord<byte[], byte[]> source, FetchTask task, TaskAcks acks) throws InterruptedException {
        // Only a first attempt asks, and only when a retry is allowed: the answer "changed" spends the
        // task's token, so the download takes the next one (attempt 2, which never asks). The lookup runs
        // while the task waits for its released_at, and never delays the start (see knownBy).
        CompletableFuture<Optional<StoredRepos.Stored>> lookup = config.skipsUnchanged() && task.getAttempt() == 1
                && config.retry().mayRetryAfter(1)
                ? CompletableFuture.supplyAsync(() -> stored.lookup(task.getDid()), LOOKUPS)
                : CompletableFuture.completedFuture(Optional.empty());
        long wait = task.getReleasedAt().toEpochMilli() - clock.millis();
        if (wait > 0) Thread.sleep(wait);
        long notAfter = task.getNotAfter().toEpochMilli();
        Optional<StoredRepos.Stored> known = knownBy(lookup, notAfter);
        if (!slots.tryAcquire(Math.max(0, notAfter - clock.millis()), TimeUnit.MILLISECONDS)) {
            expired(task, acks);
            return;
        }
        Attempt attempt;
        RepoEmitter emitter = null;
        try {
            if (clock.millis() > notAfter) {
                expired(task, acks);
                return;
            }
            if (known.isPresent()) {
                attempt = downloader.latestCommit(task);
            } else {
                emitter = new RepoEmitter(outputs, acks, source, task);
                // FETCHING goes out once the PDS answered, not between the deadline check and the request: a
                // send that parks there (a busy carrier, a full buffer) could carry the request past its window.
                // A DID's statuses share a partition, so it still precedes the outcome.
                Runnable fetching = () -> outputs.status(acks, status(task, DidState.FETCHING, 0, 0, null).build());
                attempt = downloader.fetch(task, fetching, emitter);
                stats.records.add(emitter.produced());
            }
        } finally {
            slots.release();
        }
        if (attempt instanceof Attempt.Checked checked) {
            checked(task, acks, checked, known.orElseThrow());
        } else if (known.isPresent() && attempt instanceof Attempt.Failed f && !f.reason().retryable()) {
            // cannot tell (a PDS without getLatestCommit, an odd answer), which is no reason to fail the DID
            log.info("{}: asking for its latest revision failed ({}); downloading it", task.getDid(), f.describe());
            downloadNext(task, acks);
        } else {
            // a download's outcome, or a check's 429, 5xx or timeout: retried as usual, and the retry downloads
            handle(source, task, acks, attempt, emitter);
        }
    }

    /**
     * The lookup's answer, waiting for it at most half of what is left of the task's start window: a
     * start missed costs the task's token and a trip through the limiter, a lookup missed only a
     * download (the sink's PostgreSQL slow or not migrated yet, as when a backfill starts).
     */
    private Optional<StoredRepos.Stored> knownBy(CompletableFuture<Optional<StoredRepos.Stored>> lookup, long notAfter)
            throws InterruptedException {
        try {
            return lookup.get(Math.max(0, (notAfter - clock.millis()) / 2), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(false);
            stats.lookupsLate.increment();
            return Optional.empty();
        } catch (ExecutionException e) {
            // PostgresStoredRepos answers empty on a database error; anything else is a bug, so say so
            throw new IllegalStateException("stored-revision lookup failed", e.getCause());
        }
    }

    /**
     * The PDS named the repository's latest revision: the stored one, so the DID is DONE again with what
     * is stored and nothing is downloaded; or another one, so the task goes back to the limiter for the
     * token of its download.
     */
    private void checked(FetchTask task, TaskAcks acks, Attempt.Checked checked, StoredRepos.Stored known) {
        maybeSignalHeaders(task.getPdsHost(), checked, acks);
        if (checked.rev().equals(known.rev())) {
            log.debug("{} unchanged at {}, not downloaded", task.getDid(), known.rev());
            outputs.status(acks, status(task, DidState.DONE, known.records(), known.bytes(), null)
                    .setRev(known.rev()).build());
            stats.unchanged.increment();
        } else {
            log.debug("{} changed ({} stored, {} now), downloading it", task.getDid(), known.rev(), checked.rev());
            downloadNext(task, acks);
        }
    }

    private void downloadNext(FetchTask task, TaskAcks acks) {
        outputs.retry(acks, FetchTask.newBuilder(task).setAttempt(task.getAttempt() + 1).build());
        stats.changed.increment();
    }

    /** {@code emitter} is the attempt's, or null when the attempt never started. */
    private void handle(ConsumerRecord<byte[], byte[]> source, FetchTask task, TaskAcks acks, Attempt attempt,
                        RepoEmitter emitter) throws InterruptedException {
        String host = task.getPdsHost();
        switch (attempt) {
            case Attempt.Fetched f when f.summary().missing() > 0 && config.retry().mayRetryAfter(task.getAttempt()) -> {
                // Blocks lost in transit are worth another download; on the last attempt the DID ends PARTIAL.
                maybeSignalHeaders(host, attempt, acks);
                retryOrGiveUp(source, task, acks, incomplete(f), true, emitter.produced());
            }
            case Attempt.Fetched f -> {
                maybeSignalHeaders(host, attempt, acks);
                stored(source, task, acks, f, emitter);
                stats.bytes.add(f.summary().bytes());
            }
            case Attempt.Checked c -> throw new IllegalStateException("a revision check is handled by checked()");
            case Attempt.Failed f when f.reason() == FailureReason.RATE_LIMITED -> {
                throttle.throttled(host, attempt.observedAt());
                outputs.signal(acks, f.headers().toSignal(host, RateLimitKind.THROTTLED_429,
                        Instant.ofEpochMilli(f.observedAt())));
                stats.throttled.increment();
                retryOrGiveUp(source, task, acks, f, false, 0);
            }
            case Attempt.Failed f -> {
                maybeSignalHeaders(host, attempt, acks);
                if (f.reason() == FailureReason.INTERNAL_ERROR && f.cause() != null) {
                    log.error("internal error fetching {}", task.getDid(), f.cause());
                }
                retryOrGiveUp(source, task, acks, f, true, emitter == null ? 0 : emitter.produced());
            }
        }
    }

    /** {@code produced}: records this attempt sent before it failed (a tree broken midway), so FAILED says so. */
    private void retryOrGiveUp(ConsumerRecord<byte[], byte[]> source, FetchTask task, TaskAcks acks, Attempt.Failed f,
                               boolean backoff, long produced) throws InterruptedException {
        int attempt = task.getAttempt();
        if (f.reason().retryable() && config.retry().mayRetryAfter(attempt)) {
            log.info("{} attempt {} failed ({}), retrying", task.getDid(), attempt, f.describe());
            // After a 429 the limiter pauses the host; waiting here as well would only delay the retry.
            if (backoff) Thread.sleep(config.retry().backoffAfter(attempt).toMillis());
            FetchTask next = FetchTask.newBuilder(task).setAttempt(attempt + 1).build();
            outputs.retry(acks, next);
            stats.retried.increment();
            return;
        }
        String message = (f.reason().retryable()
                ? "gave up after " + attempt + " attempts: " + f.describe()
                : f.describe()) + (produced > 0 ? "; " + produced + " of its records were produced before" : "");
        log.warn("{} failed for good: {}", task.getDid(), message);
        outputs.deadLetter(acks, source, f.reason(), message, f.errorClass(), attempt);
        outputs.status(acks, status(task, DidState.FAILED, produced, 0, Outputs.truncate(message)).build());
        stats.failed.increment();
    }

    private void expired(FetchTask task, TaskAcks acks) {
        log.debug("task for {} expired ({} ms past its not_after {}), returned to the limiter", task.getDid(),
                clock.millis() - task.getNotAfter().toEpochMilli(), task.getNotAfter());
        outputs.retry(acks, task);
        stats.expired.increment();
    }

    private void maybeSignalHeaders(String host, Attempt attempt, TaskAcks acks) {
        RateLimitHeaders headers = attempt.headers();
        if (headers.present() && throttle.shouldSignal(host, headers, attempt.observedAt())) {
            outputs.signal(acks, headers.toSignal(host, RateLimitKind.HEADERS, Instant.ofEpochMilli(attempt.observedAt())));
        }
    }

    /**
     * The status of a repository that was read: DONE only when every record its tree lists was produced;
     * otherwise PARTIAL, with the count of records not produced and the first reason.
     */
    private void stored(ConsumerRecord<byte[], byte[]> source, FetchTask task, TaskAcks acks, Attempt.Fetched f,
                        RepoEmitter emitter) {
        RepoExtractor.Summary summary = f.summary();
        String error = emitter.firstError();
        if (summary.skipped() > 0) {
            error += "; " + summary.skipped() + " further records were not extracted";
        }
        if (summary.missing() > 0) {
            Attempt.Failed incomplete = incomplete(f);
            outputs.deadLetter(acks, source, incomplete.reason(), incomplete.message(), incomplete.errorClass(),
                    task.getAttempt());
            error = error == null ? incomplete.describe() : error + "; " + incomplete.describe();
        }
        long deadLettered = emitter.deadLettered() + summary.skipped();
        DidState state = error == null ? DidState.DONE : DidState.PARTIAL;
        if (state == DidState.PARTIAL) {
            log.warn("{} stored without {} of its records: {}", task.getDid(), deadLettered, error);
            stats.partial.increment();
            stats.recordsDeadLettered.add(deadLettered);
        } else {
            stats.done.increment();
        }
        outputs.status(acks, status(task, state, emitter.produced(), summary.bytes(), error == null ? null
                : Outputs.truncate(error)).setDeadLettered(deadLettered).setRev(summary.rev()).build());
    }

    private static Attempt.Failed incomplete(Attempt.Fetched f) {
        RepoExtractor.Summary s = f.summary();
        return new Attempt.Failed(FailureReason.INCOMPLETE, "the CAR lacks " + s.missing()
                + " blocks its tree references (" + s.badCids() + " blocks failed their CID check); records under"
                + " them were not produced", null, f.headers(), f.observedAt());
    }

    private DidStatus.Builder status(FetchTask task, DidState state, long records, long bytes, String error) {
        return DidStatus.newBuilder().setDid(task.getDid()).setPds(task.getPdsEndpoint()).setState(state)
                .setRecords(records).setBytes(bytes).setAttempts(task.getAttempt()).setLastError(error)
                .setUpdatedAt(clock.instant()).setRunId(task.getRunId());
    }
}
