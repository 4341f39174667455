package io.sluice.backfill.ratelimit.internals;

import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The waiting tasks of every host of one stream task, in the {@code ratelimit-queue} store. Each
 * host's tasks sit at contiguous positions from its head to its tail (kept in {@link HostState}),
 * so appending and taking are point writes and reads. The caller saves the host state after each
 * change, in the same processing step, so the two stores commit together.
 */
final class TaskQueue {

    private final KeyValueStore<QueueKey, QueuedTask> store;

    TaskQueue(KeyValueStore<QueueKey, QueuedTask> store) {
        this.store = store;
    }

    void append(HostState host, QueuedTask task) {
        store.put(new QueueKey(host.host(), host.claimTail()), task);
    }

    /**
     * Removes and returns the task at the host's head, or null when the position is empty, which
     * only a store that lost writes could cause.
     */
    QueuedTask take(HostState host) {
        return store.delete(new QueueKey(host.host(), host.claimHead()));
    }
}
