package io.sluice.backfill.ratelimit;

import io.sluice.backfill.ratelimit.internals.HostState;
import io.sluice.backfill.ratelimit.internals.HostStateSerde;
import io.sluice.backfill.ratelimit.internals.QueueKey;
import io.sluice.backfill.ratelimit.internals.QueueSerdes;
import io.sluice.backfill.ratelimit.internals.QueuedTask;
import io.sluice.backfill.ratelimit.internals.RateLimiterProcessor;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.Stores;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The rate limiter: {@code backfill.resolved} (and, when configured, the retry input) keyed by PDS
 * host, queued per host and released at each host's allowed rate as FetchTasks on
 * {@code backfill.fetch} keyed by DID; {@code backfill.ratelimit} signals from fetchers pause or
 * slow a host. See {@link io.sluice.backfill.ratelimit.internals.RateLimiterProcessor} for the
 * processing and {@link WindowLimiter} for why no PDS window is exceeded.
 *
 * <p>All inputs must be co-partitioned (same partition count, keyed by host with the same
 * serializer), so that one stream task sees all of a host's work and signals; changing the
 * partition count moves hosts to tasks without their history.
 */
public final class RateLimiterTopology {

    public static final String RESOLVED_SOURCE = "ratelimit-resolved-source";
    public static final String RETRY_SOURCE = "ratelimit-retry-source";
    public static final String SIGNAL_SOURCE = "ratelimit-signal-source";
    public static final String PROCESSOR = "ratelimit-per-host";
    public static final String FETCH_SINK = "ratelimit-fetch-sink";
    /** Waiting tasks, key (host, sequence). */
    public static final String QUEUE_STORE = "ratelimit-queue";
    /** Per-host state: release history, pacing bucket, pause, budget, learned limits. */
    public static final String HOSTS_STORE = "ratelimit-hosts";
    /** Per DID and run: queued, or released at which released_at (see {@code DidReleases}). */
    public static final String DIDS_STORE = "ratelimit-dids";
    /**
     * How long the limiter remembers a DID: as long as Kafka's default retention of the inputs a reset
     * reads again, so no old record of a DID it still remembers is released a second time.
     */
    public static final Duration DIDS_RETENTION = Duration.ofDays(7);

    private RateLimiterTopology() {
    }

    /** The topology with serdes on the registry the configuration names. */
    public static Topology build(RateLimiterConfig config) {
        return build(config, Topics.fromConfig(new AvroSerdeConfig(config.connection().requireRegistry(), true, true)));
    }

    /** The topology with the given topic catalog's serdes (tests pass one over an in-memory registry); any fetch partition. */
    public static Topology build(RateLimiterConfig config, Topics topics) {
        return build(config, topics, FetchOwners.ANY);
    }

    /** The topology releasing only while {@code owners} has a fetcher, to partitions it owns. */
    public static Topology build(RateLimiterConfig config, Topics topics, FetchOwners owners) {
        RateLimiterConfig.TopicSet names = config.topics();
        Topology topology = new Topology();
        List<String> sources = new ArrayList<>();
        addSource(topology, sources, RESOLVED_SOURCE, topics.backfillResolved().withName(names.resolved()));
        names.retry().ifPresent(retry -> addSource(topology, sources, RETRY_SOURCE, retryTopic(topics, retry)));
        addSource(topology, sources, SIGNAL_SOURCE, topics.backfillRateLimit().withName(names.signals()));

        topology.addProcessor(PROCESSOR, () -> new RateLimiterProcessor(config, QUEUE_STORE, HOSTS_STORE, DIDS_STORE, DIDS_RETENTION,
                owners::anyOwned),
                sources.toArray(String[]::new));
        topology.addStateStore(queueStore(), PROCESSOR);
        topology.addStateStore(hostsStore(config), PROCESSOR);
        topology.addStateStore(didsStore(), PROCESSOR);

        Topic<String, FetchTask> fetch = topics.backfillFetch().withName(names.fetch());
        topology.addSink(FETCH_SINK, fetch.name(), fetch.keySerde().serializer(), fetch.valueSerde().serializer(),
                owners.partitioner(), PROCESSOR);
        return topology;
    }

    /** The retry input: FetchTasks keyed by PDS host, in the same registry form as backfill.fetch's values. */
    public static Topic<String, FetchTask> retryTopic(Topics topics, String name) {
        return new Topic<>(name, topics.serdes().stringKey(), topics.serdes().specificValue(FetchTask.class));
    }

    private static void addSource(Topology topology, List<String> sources, String name, Topic<String, ?> topic) {
        topology.addSource(name, topic.keySerde().deserializer(), topic.valueSerde().deserializer(), topic.name());
        sources.add(name);
    }

    private static StoreBuilder<KeyValueStore<QueueKey, QueuedTask>> queueStore() {
        // No cache: every key is written once and deleted once, there is nothing to coalesce.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUEUE_STORE), QueueSerdes.keys(),
                QueueSerdes.values());
    }

    private static StoreBuilder<WindowStore<String, byte[]>> didsStore() {
        // Segments older than the retention are dropped whole: no scan, and the store stays as large as a
        // week of DIDs. No cache: a DID's entries are written at different timestamps, nothing to coalesce.
        return Stores.windowStoreBuilder(Stores.persistentWindowStore(DIDS_STORE, DIDS_RETENTION, Duration.ofMillis(1), false),
                Serdes.String(), Serdes.ByteArray());
    }

    private static StoreBuilder<KeyValueStore<String, HostState>> hostsStore(RateLimiterConfig config) {
        // Cached: a host's state is rewritten on every queued task and release; the cache sends only the
        // latest version per commit to RocksDB and the changelog.
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HOSTS_STORE), Serdes.String(),
                new HostStateSerde(config)).withCachingEnabled();
    }
}
