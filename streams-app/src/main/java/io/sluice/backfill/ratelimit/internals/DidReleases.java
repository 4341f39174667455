package io.sluice.backfill.ratelimit.internals;

import io.sluice.schemas.backfill.FetchTask;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the limiter last did with each DID of a run (the {@code ratelimit-dids} store): queued it, or
 * released it at some released_at. It lets every DID of a run be waiting at most once, so a reset of
 * the limiter, which reads {@code backfill.resolved} and the retry topic again from the start,
 * re-releases each DID once instead of once per old resolved record and once per old retry.
 *
 * <p>The rules: a ResolvedDid is queued unless its DID is already known in the same run (queued or
 * released: a record read again). A task a fetcher sent back is queued only when it is the retry of
 * the DID's latest release (its released_at is the one stored) or the DID is not known at all (its
 * release was forgotten, or happened before a reset whose inputs no longer hold the DID's resolved
 * record); a retry of an older release, or of a DID already waiting, is a stale duplicate.
 *
 * <p>A window store, so entries expire after the retention given to the store ({@code
 * RateLimiterTopology}) without a scan: a DID's entries are rewritten at each queueing and release,
 * and only the newest counts.
 */
public final class DidReleases {

    /** released_at of a DID that is waiting in a queue, not released yet. */
    private static final long QUEUED = 0;

    private final WindowStore<String, byte[]> store;
    private final Duration retention;

    public DidReleases(WindowStore<String, byte[]> store, Duration retention) {
        this.store = store;
        this.retention = retention;
    }

    /** Whether a resolved DID of {@code runId} is new work: not queued or released in that run already. */
    public boolean isNew(String did, String runId, long now) {
        Entry e = latest(did, now);
        return e == null || !e.runId.equals(runId);
    }

    /** Whether a task a fetcher sent back is the retry of the DID's latest release (or of a release forgotten). */
    public boolean isLiveRetry(FetchTask task, long now) {
        Entry e = latest(task.getDid(), now);
        if (e == null) return true;
        return e.runId.equals(task.getRunId()) && e.releasedAt != QUEUED
                && e.releasedAt == task.getReleasedAt().toEpochMilli();
    }

    public void queued(String did, String runId, long now) {
        store.put(did, encode(runId, QUEUED), now);
    }

    public void released(String did, String runId, long releasedAt, long now) {
        store.put(did, encode(runId, releasedAt), now);
    }

    private Entry latest(String did, long now) {
        try (WindowStoreIterator<byte[]> it = store.backwardFetch(did, now - retention.toMillis(), now)) {
            if (!it.hasNext()) return null;
            KeyValue<Long, byte[]> newest = it.next();
            return decode(newest.value);
        }
    }

    private record Entry(String runId, long releasedAt) {
    }

    private static byte[] encode(String runId, long releasedAt) {
        byte[] run = runId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + run.length).putLong(releasedAt).put(run).array();
    }

    private static Entry decode(byte[] bytes) {
        if (bytes == null || bytes.length < 8) {
            throw new SerializationException("corrupt ratelimit-dids value (" + (bytes == null ? "null" : bytes.length + " bytes") + ")");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        long releasedAt = b.getLong();
        return new Entry(new String(bytes, 8, bytes.length - 8, StandardCharsets.UTF_8), releasedAt);
    }
}
