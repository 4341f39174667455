package io.sluice.backfill.ratelimit;

import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.schemas.topics.Topic;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The rate limiter topology in a TopologyTestDriver with the real Avro serdes (over an in-memory
 * registry), on a wall clock the test moves in punctuation-sized steps.
 */
final class LimiterHarness implements AutoCloseable {

    final TopologyTestDriver driver;
    final TestInputTopic<String, ResolvedDid> resolved;
    final TestInputTopic<String, FetchTask> retry;
    final TestInputTopic<String, RateLimitSignal> signals;
    final TestOutputTopic<String, FetchTask> fetch;
    final TestOutputTopic<byte[], byte[]> dlq;
    /** Every task released so far, in release order. */
    final List<TestRecord<String, FetchTask>> released = new ArrayList<>();
    private final RateLimiterConfig config;
    private long clock;

    LimiterHarness(RateLimiterConfig config, Topics topics, Path stateDir, Instant start) {
        this.config = config;
        this.clock = start.toEpochMilli();
        Properties props = RateLimiterApp.streamsProperties(config);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(RateLimiterTopology.build(config, topics), props, start);
        RateLimiterConfig.TopicSet names = config.topics();
        resolved = input(topics.backfillResolved().withName(names.resolved()));
        retry = input(RateLimiterTopology.retryTopic(topics, names.retry().orElseThrow()));
        signals = input(topics.backfillRateLimit().withName(names.signals()));
        Topic<String, FetchTask> f = topics.backfillFetch().withName(names.fetch());
        fetch = driver.createOutputTopic(f.name(), f.keySerde().deserializer(), f.valueSerde().deserializer());
        dlq = driver.createOutputTopic(names.dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    /** The driver's wall clock. */
    Instant now() {
        return Instant.ofEpochMilli(clock);
    }

    void queue(String host, int count, String didPrefix) {
        for (int i = 0; i < count; i++) {
            String did = "did:plc:" + didPrefix + i;
            resolved.pipeInput(host, new ResolvedDid(did, "https://" + host, host, "run-1", now()), now());
        }
    }

    /** Moves the wall clock on by {@code duration} in punctuation-sized steps, collecting released tasks. */
    List<TestRecord<String, FetchTask>> run(Duration duration) {
        List<TestRecord<String, FetchTask>> out = new ArrayList<>();
        long step = config.timing().punctuation().toMillis();
        for (long t = 0; t < duration.toMillis(); t += step) {
            driver.advanceWallClockTime(Duration.ofMillis(step));
            clock += step;
            out.addAll(fetch.readRecordsToList());
        }
        released.addAll(out);
        return out;
    }

    /** Release instants of {@code host}'s tasks, in order. */
    List<Long> releaseInstants(String host) {
        return released.stream().filter(r -> r.value().getPdsHost().equals(host)).map(r -> r.timestamp()).toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
