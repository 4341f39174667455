package io.sluice.dcb.index;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The index's three stores outside a topology, for unit tests: RocksDB or in-memory, without
 * changelog or cache (those layers are exercised by the topology test).
 */
final class IndexStores implements AutoCloseable {

    private final List<StateStore> opened = new ArrayList<>();
    private final MockProcessorContext<Object, Object> context;
    private final boolean rocksDb;

    IndexStores(boolean rocksDb, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "index-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        this.context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
        this.rocksDb = rocksDb;
    }

    /** An index over fresh stores. */
    EventIndex newIndex() {
        return EventIndex.open(indexStore("dcb-index"), eventsStore("dcb-events-by-position"), sequenceStore("dcb-sequence"));
    }

    KeyValueStore<Bytes, byte[]> indexStore(String name) {
        return open(name, Serdes.Bytes(), Serdes.ByteArray());
    }

    KeyValueStore<Long, byte[]> eventsStore(String name) {
        return open(name, Serdes.Long(), Serdes.ByteArray());
    }

    KeyValueStore<String, Long> sequenceStore(String name) {
        return open(name, Serdes.String(), Serdes.Long());
    }

    <K, V> KeyValueStore<K, V> open(String name, Serde<K> keys, Serde<V> values) {
        KeyValueStore<K, V> store = Stores.keyValueStoreBuilder(
                        rocksDb ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name), keys, values)
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        opened.add(store);
        return store;
    }

    @Override
    public void close() {
        opened.forEach(StateStore::close);
    }
}
