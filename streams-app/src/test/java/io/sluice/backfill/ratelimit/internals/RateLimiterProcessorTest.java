package io.sluice.backfill.ratelimit.internals;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.RateLimiterTopology;
import io.sluice.backfill.ratelimit.Windows;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.ResolvedDid;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restart, as Kafka Streams does one: the processor is closed, its RocksDB stores are committed
 * and closed, new stores open the same state directory and a new processor starts over them.
 * (TopologyTestDriver cannot show this: it deletes its state directory when it closes.)
 */
class RateLimiterProcessorTest {

    private static final String HOST = "a.pds.example";
    private static final long T0 = Instant.parse("2025-06-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private final RateLimiterConfig config = RateLimiterConfig.builder(ConnectionSettings.plaintext("unused:9092", "http://unused.invalid"))
            .defaultPolicy(RateLimitPolicy.parse("5/s")).build();

    @Test
    void aRestartOnTheSameStateDirectoryReleasesNoBurstAndLosesNoTask() {
        Running first = new Running(T0, stateDir);
        for (int i = 0; i < 40; i++) {
            first.process(new ResolvedDid("did:plc:a" + i, "https://" + HOST, HOST, "run-1", Instant.ofEpochMilli(T0)));
        }
        List<Record<String, FetchTask>> released = new ArrayList<>(first.runUntil(T0 + 2_500));
        first.stop();
        int beforeRestart = released.size();

        Running second = new Running(T0 + 2_550, stateDir);
        released.addAll(second.runUntil(T0 + 10_000));
        second.stop();

        List<Long> instants = released.stream().map(Record::timestamp).toList();
        assertThat(beforeRestart).isBetween(10, 15);
        assertThat(Windows.maxInAnyWindow(instants, 1_030)).as("no burst after the restart").isLessThanOrEqualTo(5);
        assertThat(released).extracting(r -> r.value().getDid()).doesNotHaveDuplicates().hasSize(40);
    }

    /**
     * A reset: a limiter with fresh state reads every resolved record and every retry of an earlier
     * incarnation again, in any order. Each DID is released once; only the retry of a DID's latest
     * release, and a DID published again under another run id, are released once more.
     */
    @Test
    void recordsReadAgainAfterAResetReleaseEachDidOnce() {
        List<ResolvedDid> resolved = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            resolved.add(new ResolvedDid("did:plc:r" + i, "https://" + HOST, HOST, "run-1", Instant.ofEpochMilli(T0)));
        }
        Running before = new Running(T0, stateDir.resolve("before"));
        resolved.forEach(before::process);
        // the earlier incarnation's retries: every task came back, some twice
        List<FetchTask> oldRetries = new ArrayList<>(before.runUntil(T0 + 3_000).stream().map(Record::value).toList());
        oldRetries.addAll(oldRetries.subList(0, 4));
        before.stop();

        Running reset = new Running(T0 + 10_000, stateDir.resolve("reset"));
        oldRetries.subList(0, 3).forEach(reset::process); // a retry may be read before its DID's resolved record
        resolved.forEach(reset::process);
        oldRetries.forEach(reset::process);
        List<FetchTask> released = new ArrayList<>(reset.runUntil(T0 + 13_000).stream().map(Record::value).toList());
        oldRetries.forEach(reset::process); // and after the DID went out again
        resolved.forEach(reset::process);
        assertThat(reset.runUntil(T0 + 14_000)).as("nothing released twice").isEmpty();
        assertThat(released).extracting(FetchTask::getDid).doesNotHaveDuplicates().hasSize(10);

        reset.process(released.get(5)); // the live retry of a release: it goes out again
        reset.process(new ResolvedDid("did:plc:r7", "https://" + HOST, HOST, "run-2", Instant.ofEpochMilli(T0))); // a new run
        assertThat(reset.runUntil(T0 + 16_000)).extracting(r -> r.value().getDid())
                .containsExactlyInAnyOrder("did:plc:r5", "did:plc:r7");
        reset.stop();
    }

    /** While no fetcher owns a partition of the fetch topic, tasks wait in the queue instead of expiring there. */
    @Test
    void nothingIsReleasedWhileNoFetcherOwnsAPartition() {
        Running r = new Running(T0, stateDir);
        r.fetchers = false;
        for (int i = 0; i < 5; i++) {
            r.process(new ResolvedDid("did:plc:f" + i, "https://" + HOST, HOST, "run-1", Instant.ofEpochMilli(T0)));
        }
        assertThat(r.runUntil(T0 + 3_000)).isEmpty();
        r.fetchers = true;
        assertThat(r.runUntil(T0 + 5_000)).hasSize(5);
        r.stop();
    }

    /** The control: the same restart with the queue but not the history shows the test can fail. */
    @Test
    void withoutItsHistoryARestartWouldBurst() {
        Running first = new Running(T0, stateDir.resolve("first"));
        for (int i = 0; i < 40; i++) {
            first.process(new ResolvedDid("did:plc:a" + i, "https://" + HOST, HOST, "run-1", Instant.ofEpochMilli(T0)));
        }
        List<Long> instants = new ArrayList<>(first.runUntil(T0 + 2_500).stream().map(Record::timestamp).toList());
        first.stop();

        Running forgetful = new Running(T0 + 2_550, stateDir.resolve("fresh"));
        for (int i = instants.size(); i < 40; i++) {
            forgetful.process(new ResolvedDid("did:plc:a" + i, "https://" + HOST, HOST, "run-1", Instant.ofEpochMilli(T0)));
        }
        instants.addAll(forgetful.runUntil(T0 + 4_000).stream().map(Record::timestamp).toList());
        forgetful.stop();
        assertThat(Windows.maxInAnyWindow(instants, 1_030)).isGreaterThan(5);
    }

    /** One incarnation of the processor over RocksDB stores in a state directory. */
    private final class Running {
        private boolean fetchers = true;
        private final MockProcessorContext<String, FetchTask> context;
        private final RateLimiterProcessor processor = new RateLimiterProcessor(config, RateLimiterTopology.QUEUE_STORE,
                RateLimiterTopology.HOSTS_STORE, RateLimiterTopology.DIDS_STORE, RateLimiterTopology.DIDS_RETENTION, () -> this.fetchers);
        private final List<StateStore> stores = new ArrayList<>();

        Running(long now, Path dir) {
            context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0), dir.toFile());
            context.setCurrentSystemTimeMs(now);
            KeyValueStore<QueueKey, QueuedTask> queue = Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(RateLimiterTopology.QUEUE_STORE), QueueSerdes.keys(), QueueSerdes.values())
                    .withLoggingDisabled().build();
            KeyValueStore<String, HostState> hosts = Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(RateLimiterTopology.HOSTS_STORE), Serdes.String(), new HostStateSerde(config))
                    .withLoggingDisabled().build();
            WindowStore<String, byte[]> dids = Stores.windowStoreBuilder(Stores.persistentWindowStore(
                            RateLimiterTopology.DIDS_STORE, RateLimiterTopology.DIDS_RETENTION, Duration.ofMillis(1), false),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
            for (StateStore s : List.of(queue, hosts, dids)) {
                s.init(context.getStateStoreContext(), s);
                context.addStateStore(s);
                stores.add(s);
            }
            processor.init(context);
        }

        void process(ResolvedDid r) {
            processor.process(new Record<>(r.getPdsHost(), r, context.currentSystemTimeMs()));
        }

        void process(FetchTask t) {
            processor.process(new Record<>(t.getPdsHost(), t, context.currentSystemTimeMs()));
        }

        /** Punctuates every 50 ms up to {@code until}, returning what was released. */
        List<Record<String, FetchTask>> runUntil(long until) {
            List<Record<String, FetchTask>> out = new ArrayList<>();
            var punctuator = context.scheduledPunctuators().get(0).getPunctuator();
            for (long t = context.currentSystemTimeMs(); t <= until; t += 50) {
                context.setCurrentSystemTimeMs(t);
                punctuator.punctuate(t);
                context.forwarded().forEach(f -> out.add(new Record<>(f.record().key(), f.record().value(), f.record().timestamp())));
                context.resetForwards();
            }
            return out;
        }

        void stop() {
            processor.close();
            for (StateStore s : stores) {
                s.commit(Map.of());
                s.close();
            }
        }
    }
}
