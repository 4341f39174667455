package io.sluice.backfill.ratelimit.internals;

import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.streams.dlq.DeadLetterHandler;
import io.sluice.streams.dlq.RejectedRecordException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The rate limiter's one processor. Consumes, keyed by PDS host: ResolvedDid (new work),
 * FetchTask (work a fetcher sent back) and RateLimitSignal (what the PDS said). Queues work per
 * host in {@code ratelimit-queue}; keeps per-host limits, pauses and budgets in
 * {@code ratelimit-hosts}. A wall-clock punctuator releases what each host allows as FetchTasks
 * keyed by DID, stamped {@code released_at = now + dispatch delay} (when the fetcher is to start
 * it) and {@code not_after = released_at + ttl}.
 *
 * <p>Guarantees: per host, releases never exceed the policy in any window (see
 * {@code WindowLimiter}), including across restarts, since the history is in the store; every
 * accepted task is released exactly once (exactly_once_v2 commits the store changes, the input
 * offsets and the released tasks together). Records it cannot accept are thrown as
 * {@link RejectedRecordException} with a {@link RejectReason}, for {@link DeadLetterHandler} to send to the DLQ.
 */
public final class RateLimiterProcessor implements Processor<String, Object, String, FetchTask> {

    private static final Logger log = LoggerFactory.getLogger(RateLimiterProcessor.class);

    private final RateLimiterConfig config;
    private final String queueStore;
    private final String hostsStore;
    private final String didsStore;
    private final Duration didsRetention;
    private final BooleanSupplier fetchersPresent;
    private final Set<String> warnedHosts = new HashSet<>();
    private ProcessorContext<String, FetchTask> context;
    private TaskQueue queue;
    private HostStates hosts;
    private DidReleases dids;

    /**
     * @param didsStore       a window store of {@code didsRetention}, see {@link DidReleases}
     * @param fetchersPresent whether a fetcher owns a partition of the fetch topic; while not, nothing is
     *                        released (see {@code FetchOwners})
     */
    public RateLimiterProcessor(RateLimiterConfig config, String queueStore, String hostsStore, String didsStore,
                                Duration didsRetention, BooleanSupplier fetchersPresent) {
        this.config = config;
        this.queueStore = queueStore;
        this.hostsStore = hostsStore;
        this.didsStore = didsStore;
        this.didsRetention = didsRetention;
        this.fetchersPresent = fetchersPresent;
    }

    @Override
    public void init(ProcessorContext<String, FetchTask> context) {
        this.context = context;
        this.queue = new TaskQueue(context.getStateStore(queueStore));
        this.hosts = new HostStates(context.getStateStore(hostsStore), config);
        this.dids = new DidReleases(context.getStateStore(didsStore), didsRetention);
        context.schedule(config.timing().punctuation(), PunctuationType.WALL_CLOCK_TIME, this::release);
        log.info("task {}: rate limiter started with {} known hosts", context.taskId(), hosts.size());
    }

    @Override
    public void process(Record<String, Object> record) {
        long now = context.currentSystemTimeMs();
        switch (record.value()) {
            case ResolvedDid r -> {
                String host = checkedHost(record.key(), r.getPdsHost());
                // a resolved record read again (a reset) while its DID waits or was released in the same run
                if (dids.isNew(r.getDid(), r.getRunId(), now)) enqueue(host, QueuedTask.of(r, now), now);
            }
            case FetchTask t -> {
                String host = checkedHost(record.key(), t.getPdsHost());
                // an older release's retry read again after a reset, while the DID waits or went out again
                if (dids.isLiveRetry(t, now)) enqueue(host, QueuedTask.retry(t, now), now);
            }
            case RateLimitSignal s -> signal(checkedHost(record.key(), s.getPdsHost()), s, now);
            case null -> throw new RejectedRecordException(RejectReason.MISSING_VALUE,
                    "record has no value (key " + record.key() + ")");
            default -> throw new RejectedRecordException(RejectReason.UNEXPECTED_TYPE,
                    "unexpected value type " + record.value().getClass().getName());
        }
    }

    private void enqueue(String host, QueuedTask task, long now) {
        HostState state = hosts.get(host, now);
        if (state.queued() >= config.maxQueuePerHost()) {
            throw new RejectedRecordException(RejectReason.QUEUE_FULL, "queue of host " + host + " is full (" + state.queued()
                    + " tasks, max " + config.maxQueuePerHost() + "); task for " + task.did() + " not queued");
        }
        queue.append(state, task);
        hosts.save(state);
        dids.queued(task.did(), task.runId(), now);
    }

    private void signal(String host, RateLimitSignal signal, long now) {
        HostState state = hosts.get(host, now);
        long pausedBefore = state.pausedUntil();
        SignalRules.apply(state, signal, now, config.timing());
        hosts.save(state);
        if (state.pausedUntil() > pausedBefore && state.pausedUntil() > now) {
            log.info("host {} paused until {} after {} (remaining {}, reset {}), {} tasks waiting", host,
                    Instant.ofEpochMilli(state.pausedUntil()), signal.getKind(), signal.getRemaining(), signal.getResetAt(),
                    state.queued());
        }
        Integer stated = signal.getLimit();
        if (signal.getKind() == RateLimitKind.HEADERS && stated != null && stated < state.limits().policy().limit()
                && warnedHosts.add(host)) {
            log.warn("host {} states a limit of {} (policy {}), below the configured {}: its remaining/reset headers"
                    + " will hold it back; consider a per-host policy", host, stated, signal.getPolicy(), state.limits().policy());
        }
    }

    /**
     * The punctuator: releases what each host allows now. A task's token is taken now but stamped
     * for {@code now + dispatch delay} (released_at; with epoch-aligned windows its slot in the window,
     * at most the lookahead later) and expires {@code ttl} later (not_after, with epoch-aligned
     * windows at the latest a guard before its window ends):
     * under exactly-once, released tasks become visible only when the transaction commits, so they
     * reach fetchers in batches, up to a commit interval plus a commit late. Fetchers that start each
     * task at released_at start them as evenly as they were released, whatever that lag was.
     */
    private void release(long now) {
        // A task nobody can take expires unfetched, its token spent for nothing; held, it keeps its place.
        if (!fetchersPresent.getAsBoolean()) return;
        long dispatchDelay = config.timing().dispatchDelay().toMillis();
        for (HostState state : hosts.all()) {
            long lookahead = config.timing().lookaheadFor(state.limits().policy()).toMillis();
            long[] released = state.release(now, dispatchDelay, lookahead);
            if (released.length == 0) continue;
            long ttl = state.limits().ttl().toMillis();
            for (long releasedAt : released) {
                QueuedTask task = queue.take(state);
                if (task == null) {
                    log.error("host {}: no task at a queue position below its tail; the store lost a write", state.host());
                    continue;
                }
                long notAfter = state.limiter().notAfter(releasedAt, ttl);
                dids.released(task.did(), task.runId(), releasedAt, now);
                context.forward(new Record<>(task.did(), task.release(releasedAt, notAfter), releasedAt));
            }
            hosts.save(state);
        }
        hosts.evictIdle(now);
    }

    private static String checkedHost(String key, String host) {
        if (key == null) {
            throw new RejectedRecordException(RejectReason.MISSING_KEY, "record has no key; expected the PDS host " + host);
        }
        if (!key.equals(host)) {
            throw new RejectedRecordException(RejectReason.KEY_MISMATCH, "record key '" + key + "' is not its PDS host '"
                    + host + "'; the limiter"
                    + " must see every record of a host on the host's partition");
        }
        return host;
    }
}
