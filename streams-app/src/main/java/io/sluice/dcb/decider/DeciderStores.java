package io.sluice.dcb.decider;

import io.sluice.dcb.index.EventIndex;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.Set;

/**
 * The decider's four state stores. Their names are part of the deployed system: each logged one
 * names a changelog topic ({@code <application.id>-<store>-changelog}), so they never change. None
 * uses the registry: keys and values are raw bytes, longs and strings laid out by the index.
 * <ul>
 *   <li>{@value #EVENTS_BY_POSITION}, {@value #SEQUENCE}, {@value #IDEMPOTENCY}: logged, so they
 *       survive the loss of the local state and roll back with an aborted transaction; when their
 *       changelogs are gone too (an application reset), {@code LogCatchUp} rebuilds them from
 *       dcb.events;</li>
 *   <li>{@value #INDEX}: not logged, derived from the log and brought up to date when a task starts
 *       ({@code EventIndex.open}), which saves a changelog record per posting and head update
 *       (about six per appended event).</li>
 * </ul>
 * Only the sequence, rewritten by every append, goes through the Streams record cache; the other
 * stores mostly write keys that are new, where the cache would only add work.
 */
public final class DeciderStores {

    /** Postings and heads per event type and tag, derived from the log ({@code io.sluice.dcb.index.IndexKeys}). */
    public static final String INDEX = "dcb-index";
    /** Position → type and tags: the log as conditions see it; the index is rebuilt from it. */
    public static final String EVENTS_BY_POSITION = "dcb-events-by-position";
    /** Idempotency key → the result of the command that first used it; request id of an append → its result. */
    public static final String IDEMPOTENCY = "dcb-idempotency";
    /** The last position given. */
    public static final String SEQUENCE = "dcb-sequence";

    private DeciderStores() {
    }

    static Set<StoreBuilder<?>> builders(StoreType type) {
        return Set.of(
                Stores.keyValueStoreBuilder(supplier(type, INDEX), Serdes.Bytes(), Serdes.ByteArray())
                        .withCachingDisabled().withLoggingDisabled(),
                Stores.keyValueStoreBuilder(supplier(type, EVENTS_BY_POSITION), Serdes.Long(), Serdes.ByteArray())
                        .withCachingDisabled(),
                Stores.keyValueStoreBuilder(supplier(type, IDEMPOTENCY), Serdes.String(), Serdes.ByteArray())
                        .withCachingDisabled(),
                Stores.keyValueStoreBuilder(supplier(type, SEQUENCE), Serdes.String(), Serdes.Long()).withCachingEnabled());
    }

    /** The index over the task's stores, brought up to date with the log. */
    static EventIndex eventIndex(ProcessorContext<?, ?> context) {
        KeyValueStore<Bytes, byte[]> index = context.getStateStore(INDEX);
        KeyValueStore<Long, byte[]> events = context.getStateStore(EVENTS_BY_POSITION);
        KeyValueStore<String, Long> sequence = context.getStateStore(SEQUENCE);
        return EventIndex.open(index, events, sequence);
    }

    static IdempotencyLog idempotencyLog(ProcessorContext<?, ?> context) {
        KeyValueStore<String, byte[]> store = context.getStateStore(IDEMPOTENCY);
        return new IdempotencyLog(store);
    }

    private static KeyValueBytesStoreSupplier supplier(StoreType type, String name) {
        return switch (type) {
            case ROCKSDB -> Stores.persistentKeyValueStore(name);
            case IN_MEMORY -> Stores.inMemoryKeyValueStore(name);
        };
    }
}
