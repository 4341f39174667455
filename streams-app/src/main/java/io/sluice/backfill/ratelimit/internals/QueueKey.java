package io.sluice.backfill.ratelimit.internals;

import java.util.Objects;

/**
 * Key of the {@code ratelimit-queue} store: a host and the task's position in that host's queue.
 * Positions are contiguous from the host's head to its tail (see {@link HostState}), so the queue
 * is read by point lookups, never by scans over deleted entries.
 */
public record QueueKey(String host, long sequence) {

    public QueueKey {
        Objects.requireNonNull(host, "host");
        if (host.indexOf('\0') >= 0) throw new IllegalArgumentException("host contains NUL: " + host);
    }
}
