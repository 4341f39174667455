package io.sluice.backfill.ratelimit;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.ResolvedDid;
import io.sluice.schemas.testing.InMemorySchemaRegistry;
import io.sluice.schemas.topics.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topology in a TopologyTestDriver. Hosts are limited to 5/s, so the margin is 30 ms (window
 * plus margin: 1,030 ms); tasks are stamped to start 500 ms after release and may start 22 ms late. Restarts: see RateLimiterProcessorTest
 * (TopologyTestDriver deletes its state directory on close) and RateLimiterIT.
 */
class RateLimiterTopologyTest {

    private static final Instant T0 = Instant.parse("2025-06-01T00:00:00Z");
    private static final String A = "a.pds.example";
    private static final String B = "b.pds.example";

    @TempDir
    Path stateDir;

    private final Topics topics = Topics.create(new InMemorySchemaRegistry(), true);
    private final List<LimiterHarness> harnesses = new ArrayList<>();

    @AfterEach
    void closeDrivers() {
        harnesses.forEach(LimiterHarness::close);
    }

    @Test
    void aHostLimitedToFivePerSecondGetsAtMostFiveInAnySecondAndEveryTaskOnce() {
        LimiterHarness h = harness(config().build(), stateDir, T0);
        h.queue(A, 30, "a");
        h.run(Duration.ofSeconds(10));

        List<Long> instants = h.releaseInstants(A);
        assertThat(h.released).extracting(r -> r.value().getDid()).doesNotHaveDuplicates().hasSize(30);
        assertThat(Windows.maxInAnyWindow(instants, 1_000)).isLessThanOrEqualTo(5);
        assertThat(Windows.maxInAnyWindow(instants, 1_030)).isLessThanOrEqualTo(5);
        assertThat(Windows.maxInAnyFixedWindow(instants, 1_000)).isLessThanOrEqualTo(5);
        // 30 tasks at 5 per 1.03 s: the last one goes out a little after 5 s, not much later
        assertThat(instants.get(29) - T0.toEpochMilli()).isBetween(5_000L, 6_500L);
    }

    @Test
    void releasedTasksCarryTheirDeadline() {
        LimiterHarness h = harness(config().build(), stateDir, T0);
        h.resolved.pipeInput(A, new ResolvedDid("did:plc:x", "https://a.pds.example:8443", A, "run-7", T0), T0);
        h.run(Duration.ofMillis(100));

        assertThat(h.released).hasSize(1);
        TestRecord<String, FetchTask> r = h.released.get(0);
        FetchTask t = r.value();
        assertThat(r.key()).isEqualTo("did:plc:x");
        assertThat(t.getPdsEndpoint()).isEqualTo("https://a.pds.example:8443");
        assertThat(t.getPdsHost()).isEqualTo(A);
        assertThat(t.getRunId()).isEqualTo("run-7");
        assertThat(t.getAttempt()).isEqualTo(1);
        assertThat(t.getReleasedAt().toEpochMilli()).isEqualTo(r.timestamp());
        // released at the first punctuation (T0 + 50 ms), to be started 500 ms (the dispatch delay) later
        assertThat(t.getReleasedAt()).isEqualTo(T0.plusMillis(550));
        assertThat(t.getNotAfter()).isEqualTo(t.getReleasedAt().plusMillis(22));
    }

    @Test
    void withEpochAlignedWindowsEachSecondGetsItsWholeLimitAndDeadlinesEndBeforeItsEnd() {
        RateLimiterConfig config = config().timing(RateLimiterConfig.Timing.defaults().withAlignment(WindowAlignment.EPOCH))
                .build();
        LimiterHarness h = harness(config, stateDir, T0);
        h.queue(A, 30, "a");
        h.run(Duration.ofSeconds(10));

        assertThat(h.released).extracting(r -> r.value().getDid()).doesNotHaveDuplicates().hasSize(30);
        List<Long> startsAt = h.releaseInstants(A);
        assertThat(Windows.maxInAnyFixedWindow(startsAt, 1_000)).isEqualTo(5);
        // the 30 tasks fill six whole seconds, from the first one the dispatch delay allows (T0 + 550 ms: the next)
        assertThat(startsAt.get(0) - T0.toEpochMilli()).isEqualTo(1_000);
        assertThat(startsAt.get(29) - T0.toEpochMilli()).isBetween(6_000L, 6_500L);
        for (TestRecord<String, FetchTask> r : h.released) {
            long releasedAt = r.value().getReleasedAt().toEpochMilli();
            assertThat(releasedAt).isEqualTo(r.timestamp());
            long windowEnd = (Math.floorDiv(releasedAt, 1_000) + 1) * 1_000;
            assertThat(r.value().getNotAfter().toEpochMilli()).isEqualTo(Math.min(releasedAt + 1_000, windowEnd - 250));
        }
    }

    @Test
    void tasksSentBackKeepTheirAttemptAndGetANewDeadline() {
        LimiterHarness h = harness(config().build(), stateDir, T0);
        FetchTask expired = new FetchTask("did:plc:y", "https://" + A, A, "run-1", 3, T0.minusSeconds(5), T0.minusSeconds(6));
        h.retry.pipeInput(A, expired, T0);
        h.run(Duration.ofMillis(100));

        assertThat(h.released).singleElement().satisfies(r -> {
            assertThat(r.value().getAttempt()).isEqualTo(3);
            assertThat(r.value().getReleasedAt()).isAfter(T0);
            assertThat(r.value().getNotAfter()).isEqualTo(r.value().getReleasedAt().plusMillis(22));
        });
    }

    @Test
    void hostsAreIndependent() {
        LimiterHarness h = harness(config().hostPolicy(B, RateLimitPolicy.parse("2/s")).build(), stateDir, T0);
        h.queue(A, 20, "a");
        h.queue(B, 20, "b");
        h.run(Duration.ofSeconds(12));

        List<Long> a = h.releaseInstants(A);
        List<Long> b = h.releaseInstants(B);
        assertThat(a).hasSize(20);
        assertThat(b).hasSize(20);
        assertThat(Windows.maxInAnyWindow(a, 1_030)).isLessThanOrEqualTo(5);
        assertThat(Windows.maxInAnyWindow(b, 1_030)).isLessThanOrEqualTo(2);
        assertThat(a.get(19) - T0.toEpochMilli()).as("A is not slowed by B").isLessThan(4_500);
        assertThat(b.get(19) - T0.toEpochMilli()).isGreaterThan(9_000);
    }

    @Test
    void a429PausesTheHostUntilItsReset() {
        LimiterHarness h = harness(config().build(), stateDir, T0);
        h.queue(A, 50, "a");
        h.queue(B, 50, "b");
        h.run(Duration.ofSeconds(1));
        Instant reset = h.now().plusSeconds(3);
        h.signals.pipeInput(A, new RateLimitSignal(A, RateLimitKind.THROTTLED_429, 5, 0, reset, "5;w=1", h.now()), h.now());

        // the last punctuation of this run is at reset; A may go again from reset + margin (30 ms)
        List<TestRecord<String, FetchTask>> during = h.run(Duration.ofMillis(3_000));
        assertThat(during).as("nothing for A until reset + margin").allMatch(r -> r.value().getPdsHost().equals(B));
        assertThat(during).as("B goes on").hasSizeGreaterThan(10);
        List<TestRecord<String, FetchTask>> after = h.run(Duration.ofSeconds(1));
        assertThat(after).anyMatch(r -> r.value().getPdsHost().equals(A));
    }

    @Test
    void headersWithNothingRemainingPauseTheHostUntilItsReset() {
        LimiterHarness h = harness(config().build(), stateDir, T0);
        h.queue(A, 50, "a");
        h.run(Duration.ofSeconds(1));
        Instant reset = h.now().plusSeconds(3);
        h.signals.pipeInput(A, new RateLimitSignal(A, RateLimitKind.HEADERS, 5, 0, reset, "5;w=1", h.now()), h.now());

        assertThat(h.run(Duration.ofMillis(3_000))).isEmpty();
        assertThat(h.run(Duration.ofSeconds(1))).isNotEmpty();
    }

    /** Records that are not Avro at all go to the DLQ too, through the same handler: see RateLimiterIT. */
    @Test
    void recordsTheLimiterCannotAcceptGoToTheDlqAndProcessingGoesOn() {
        LimiterHarness h = harness(config().maxQueuePerHost(2).build(), stateDir, T0);
        h.resolved.pipeInput(B, new ResolvedDid("did:plc:wrongkey", "https://" + A, A, "run-1", T0), T0);
        h.queue(A, 3, "a"); // the third overflows the queue

        List<TestRecord<byte[], byte[]>> dead = h.dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(header(dead.get(0), DeadLetter.ERROR_MESSAGE)).contains("is not its PDS host");
        assertThat(header(dead.get(0), DeadLetter.REASON)).isEqualTo("key-mismatch");
        assertThat(header(dead.get(0), DeadLetter.STAGE)).isEqualTo("ratelimiter");
        assertThat(header(dead.get(0), DeadLetter.TOPIC)).isEqualTo("backfill.resolved");
        assertThat(header(dead.get(0), DeadLetter.PARTITION)).isEqualTo("0");
        assertThat(header(dead.get(0), DeadLetter.OFFSET)).isEqualTo("0");
        assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).as("the source bytes, as they were").endsWith(B);
        assertThat(header(dead.get(1), DeadLetter.ERROR_MESSAGE)).contains("queue of host a.pds.example is full");
        assertThat(header(dead.get(1), DeadLetter.REASON)).isEqualTo("queue-full");
        assertThat(header(dead.get(1), DeadLetter.OFFSET)).isEqualTo("3");

        h.run(Duration.ofSeconds(1));
        assertThat(h.released).extracting(r -> r.value().getDid()).containsExactly("did:plc:a0", "did:plc:a1");
    }

    private RateLimiterConfig.Builder config() {
        return RateLimiterConfig.builder(ConnectionSettings.plaintext("unused:9092", "http://unused.invalid")).applicationId("ratelimit-test")
                .defaultPolicy(RateLimitPolicy.parse("5/s"));
    }

    private LimiterHarness harness(RateLimiterConfig config, Path dir, Instant start) {
        LimiterHarness h = new LimiterHarness(config, topics, dir, start);
        harnesses.add(h);
        return h;
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
