package io.sluice.backfill.ratelimit;

/**
 * Where in a PDS's epoch-aligned fixed windows tasks are scheduled ({@link WindowAlignment#EPOCH}).
 * Window {@code k} is {@code [k*w, (k+1)*w)}. Its tasks get released_at instants
 * {@code k*w + floor(i * spacing)} for the {@code i}th release ({@code spacing = (w - 2*guard) / limit}),
 * or later when the limiter is behind, but always before {@code (k+1)*w - 2*guard}; their not_after is
 * at most {@code (k+1)*w - guard}.
 *
 * <h2>The guarantee</h2>
 * A fetcher starts a task no earlier than its released_at and no later than its not_after, so each
 * request of window {@code k}'s tasks reaches the PDS inside window {@code k} as long as it takes less
 * than {@code guard} from the fetcher's deadline check to the PDS counting it. At most {@code limit}
 * tasks are scheduled into a window, so no window receives more than {@code limit} requests, and all
 * {@code limit} can be used: the whole allowance, where the sliding window gives up
 * {@code margin / (w + margin)} and needs deadlines within the margin. The counts per window are kept
 * in the host's {@link ReleaseLog} (one entry per window, at its last millisecond, which is never
 * earlier than any of its tasks' released_at, so the log's sliding counts stay over-counts), so a
 * restart schedules nothing more into a window that already has its tasks.
 *
 * <p>Pure and immutable; the arithmetic only.
 *
 * @param limit  tasks per window
 * @param window window length in ms
 * @param guard  ms kept free at the end of a window for the latency from deadline check to arrival;
 *               released_at instants also end {@code guard} before not_after's limit, so the last task
 *               of a window still has {@code guard} ms to start
 */
public record EpochSlots(int limit, long window, long guard) {

    public EpochSlots {
        if (limit < 1) throw new IllegalArgumentException("limit must be >= 1, got " + limit);
        if (window < 1) throw new IllegalArgumentException("window must be >= 1 ms, got " + window);
        if (guard < 0 || 2 * guard >= window) {
            throw new IllegalArgumentException("guard must be in [0, window/2), got " + guard + " for a window of " + window);
        }
    }

    /** Start of the window holding {@code instant}. */
    public long windowStart(long instant) {
        return Math.floorDiv(instant, window) * window;
    }

    /**
     * The released_at of the next task of the window starting at {@code start}, which already has
     * {@code used} tasks, no earlier than {@code earliest}; -1 when the window is full or its
     * scheduling part ends before {@code earliest}.
     */
    public long slot(long start, int used, long earliest) {
        if (used >= limit) return -1;
        long spaced = start + (long) Math.floor(used * (double) (window - 2 * guard) / limit);
        long at = Math.max(earliest, spaced);
        return at < start + window - 2 * guard ? at : -1;
    }

    /** not_after of a task released at {@code releasedAt} that may start up to {@code ttl} ms late. */
    public long notAfter(long releasedAt, long ttl) {
        return Math.min(Math.addExact(releasedAt, ttl), windowStart(releasedAt) + window - guard);
    }

    /** The instant the log records window {@code start}'s tasks at: its last millisecond. */
    public long logInstant(long start) {
        return start + window - 1;
    }
}
