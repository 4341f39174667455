package io.sluice.backfill.fetch;

import com.sun.net.httpserver.HttpServer;
import io.sluice.backfill.simulator.ExpectedRepo;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.backfill.simulator.Faults;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fetcher against the real broker and registry and the PDS simulator, with the rate limiter
 * played by the test: tasks are produced straight to the fetch topic, and in the fault test an
 * {@link EchoLimiter} releases what comes back on the retry topic.
 */
@WithSluiceStack
class FetcherIT {

    private static final Logger log = LoggerFactory.getLogger(FetcherIT.class);
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path spill;

    @Test
    void twoHundredRepositoriesOverFiveHostsComeOutExactlyAndDone(TestStack stack) throws Exception {
        // 45 requests per window for 40 DIDs per host: remaining runs low, so HEADERS signals appear
        PdsSimulatorConfig sim = PdsSimulatorConfig.builder().hosts(5).dids(200).seed(7).rateLimit(45, 300).build();
        try (PdsSimulator simulator = PdsSimulator.start(sim); FetchTopics topics = new FetchTopics(stack)) {
            Map<String, ExpectedRepo> expected = new HashMap<>();
            simulator.dids().forEach(did -> expected.put(did, simulator.expected(did)));
            long expectedRecords = expected.values().stream().mapToLong(ExpectedRepo::records).sum();
            Instant now = Instant.now();
            topics.sendTasks(simulator.dids().stream().map(did -> FetchTopics.task(did, simulator.endpointOf(did),
                    simulator.endpointOf(did), 1, now, now.plus(Duration.ofMinutes(10)))).toList());

            long start = System.nanoTime();
            try (FetcherApp app = FetcherApp.start(topics.config().spillDir(spill).blockMemoryBytes(8 << 20).build())) {
                List<ConsumerRecord<String, DidStatus>> all = topics.readUntil(topics.names.status(),
                        topics.topics.backfillStatus().valueSerde().deserializer(), TIMEOUT, l -> outcomes(l).size() >= 200);
                List<ConsumerRecord<String, DidStatus>> statuses = outcomes(all);
                double seconds = (System.nanoTime() - start) / 1e9;
                log.info("fetched {} records of 200 repositories in {} s (group join included): {} records/s, stats {}",
                        expectedRecords, String.format("%.1f", seconds), (long) (expectedRecords / seconds),
                        app.stats().snapshot());
                assertThat(app.failure()).isEmpty();

                assertThat(statuses).hasSize(200).allSatisfy(r -> {
                    DidStatus s = r.value();
                    assertThat(r.key()).isEqualTo(s.getDid());
                    assertThat(s.getState()).isEqualTo(DidState.DONE);
                    assertThat(s.getRecords()).isEqualTo(expected.get(s.getDid()).records());
                    assertThat(s.getBytes()).isEqualTo(expected.get(s.getDid()).carBytes());
                    assertThat(s.getAttempts()).isEqualTo(1);
                    assertThat(s.getPds()).isEqualTo(simulator.endpointOf(s.getDid()));
                });
                // Each DID said FETCHING before its outcome (same key, same partition, so in order).
                Map<String, List<DidState>> states = new HashMap<>();
                all.forEach(r -> states.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value().getState()));
                assertThat(states).hasSize(200).allSatisfy((did, seen) ->
                        assertThat(seen).as(did).containsExactly(DidState.FETCHING, DidState.DONE));

                List<ConsumerRecord<String, RepoRecord>> records = topics.readUntil(topics.names.records(),
                        topics.topics.backfillRecords().valueSerde().deserializer(), TIMEOUT, l -> l.size() >= expectedRecords);
                assertThat(records).hasSize((int) expectedRecords);
                Map<String, RecordChecksum> checksums = new HashMap<>();
                for (ConsumerRecord<String, RepoRecord> r : records) {
                    RepoRecord v = r.value();
                    assertThat(r.key()).isEqualTo(v.getDid());
                    assertThat(v.getRev()).isEqualTo(expected.get(v.getDid()).rev());
                    checksums.computeIfAbsent(v.getDid(), d -> new RecordChecksum())
                            .add(v.getDid(), v.getCollection(), v.getRkey(), v.getCid());
                }
                expected.forEach((did, repo) -> {
                    assertThat(checksums.get(did).count()).as(did).isEqualTo(repo.records());
                    assertThat(checksums.get(did).hex()).as(did).isEqualTo(repo.checksum());
                });

                List<ConsumerRecord<String, RateLimitSignal>> signals = topics.readUntil(topics.names.signals(),
                        topics.topics.backfillRateLimit().valueSerde().deserializer(), Duration.ofSeconds(5), l -> l.size() >= 5);
                assertThat(signals).isNotEmpty().allSatisfy(r -> {
                    assertThat(r.value().getKind()).isEqualTo(RateLimitKind.HEADERS);
                    assertThat(r.key()).isEqualTo(r.value().getPdsHost());
                    assertThat(r.value().getRemaining()).isLessThanOrEqualTo(10);
                    assertThat(r.value().getPolicy()).isEqualTo("45;w=300");
                });
                assertThat(signals.size()).as("throttled to few signals").isLessThanOrEqualTo(5 * 10);
                assertThat(simulator.stats().totals().requests()).isEqualTo(200);
                assertThat(topics.endOffset(topics.names.retry()) + topics.endOffset(topics.names.dlq())).isZero();
            }
        }
    }

    @Test
    void faultsAreRetriedBadRepositoriesDeadLetteredAndStaleTasksReturnedUnfetched(TestStack stack) throws Exception {
        Faults faults = Faults.NONE.withP5xx(0.1).withTruncated(0.1).withP429(0.05).withStorms(0.02, 300);
        PdsSimulatorConfig sim = PdsSimulatorConfig.builder().hosts(5).dids(100).seed(11).faults(faults).build();
        AtomicInteger garbageRequests = new AtomicInteger();
        AtomicInteger staleRequests = new AtomicInteger();
        HttpServer garbage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        garbage.createContext("/garbage", exchange -> {
            garbageRequests.incrementAndGet();
            byte[] body = "this is not a CAR file, just text".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        garbage.createContext("/stale", exchange -> {
            staleRequests.incrementAndGet();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        garbage.start();
        String garbageUrl = "http://127.0.0.1:" + garbage.getAddress().getPort();
        String badDid = "did:plc:garbagegarbagegarbage12";
        String staleDid = "did:plc:stalestalestalestale1234";
        try (PdsSimulator simulator = PdsSimulator.start(sim); FetchTopics topics = new FetchTopics(stack);
             EchoLimiter limiter = new EchoLimiter(topics, stack.bootstrapServers(), Set.of(staleDid))) {
            Instant now = Instant.now();
            List<FetchTask> tasks = new ArrayList<>(simulator.dids().stream().map(did -> FetchTopics.task(did,
                    simulator.endpointOf(did), simulator.endpointOf(did), 1, now, now.plus(Duration.ofMinutes(10)))).toList());
            tasks.add(FetchTopics.task(badDid, garbageUrl + "/garbage", garbageUrl + "/garbage", 1, now, now.plusSeconds(600)));
            tasks.add(FetchTopics.task(staleDid, garbageUrl + "/stale", garbageUrl + "/stale", 1, now.minusSeconds(60),
                    now.minusSeconds(59)));
            topics.sendTasks(tasks);
            topics.sendRaw(topics.names.fetch(), "junk".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));

            FetcherConfig config = topics.config().spillDir(spill)
                    .retry(new RetryPolicy(30, Duration.ofMillis(20), Duration.ofMillis(200))).build();
            try (FetcherApp app = FetcherApp.start(config)) {
                List<ConsumerRecord<String, DidStatus>> statuses = outcomes(topics.readUntil(topics.names.status(),
                        topics.topics.backfillStatus().valueSerde().deserializer(), TIMEOUT, l -> outcomes(l).size() >= 101));
                assertThat(app.failure()).isEmpty();
                Map<String, DidStatus> byDid = new HashMap<>();
                statuses.forEach(r -> byDid.put(r.key(), r.value()));
                assertThat(byDid).hasSize(101).doesNotContainKey(staleDid);
                assertThat(byDid.get(badDid).getState()).isEqualTo(DidState.FAILED);
                assertThat(byDid.get(badDid).getLastError()).startsWith("malformed: ");
                for (String did : simulator.dids()) {
                    assertThat(byDid.get(did).getState()).as("%s: %s", did, byDid.get(did).getLastError())
                            .isEqualTo(DidState.DONE);
                    assertThat(byDid.get(did).getRecords()).as(did).isEqualTo(simulator.expected(did).records());
                }

                List<ConsumerRecord<String, byte[]>> dead = topics.readUntil(topics.names.dlq(), new ByteArrayDeserializer(),
                        Duration.ofSeconds(30), l -> l.size() >= 2);
                assertThat(dead).hasSize(2);
                Map<String, String> reasons = new HashMap<>();
                dead.forEach(r -> reasons.put(r.key(), header(r, DeadLetter.REASON)));
                assertThat(reasons).containsEntry(badDid, "malformed").containsEntry("junk", "deserialization");
                ConsumerRecord<String, byte[]> badLetter = dead.stream().filter(r -> badDid.equals(r.key())).findFirst().orElseThrow();
                assertThat(header(badLetter, DeadLetter.TOPIC)).isEqualTo(topics.names.fetch());
                assertThat(header(badLetter, DeadLetter.OFFSET)).isNotBlank();
                assertThat(header(badLetter, DeadLetter.ERROR_CLASS)).contains("CarFormatException");
                assertThat(topics.topics.backfillFetch().valueSerde().deserializer().deserialize(topics.names.fetch(),
                        badLetter.value()).getDid()).as("the original task").isEqualTo(badDid);

                // the stale task came back unchanged and was never requested
                assertThat(limiter.tasks).anySatisfy(t -> {
                    assertThat(t.getDid()).isEqualTo(staleDid);
                    assertThat(t.getAttempt()).isEqualTo(1);
                });
                assertThat(staleRequests).hasValue(0);
                assertThat(garbageRequests).hasValue(1);

                // 429s: a THROTTLED_429 signal and a retry with the next attempt number
                var stats = simulator.stats().totals();
                log.info("simulator totals {}, fetcher {}", stats, app.stats().snapshot());
                assertThat(stats.injected()).containsKeys("server_error", "truncated");
                List<ConsumerRecord<String, RateLimitSignal>> signals = topics.readUntil(topics.names.signals(),
                        topics.topics.backfillRateLimit().valueSerde().deserializer(), Duration.ofSeconds(10),
                        l -> l.stream().anyMatch(r -> r.value().getKind() == RateLimitKind.THROTTLED_429));
                assertThat(signals).anySatisfy(r -> {
                    assertThat(r.value().getKind()).isEqualTo(RateLimitKind.THROTTLED_429);
                    assertThat(r.key()).isEqualTo(r.value().getPdsHost());
                    assertThat(r.value().getResetAt()).isNotNull();
                });
                Set<String> throttledHosts = new HashSet<>();
                signals.stream().filter(r -> r.value().getKind() == RateLimitKind.THROTTLED_429)
                        .forEach(r -> throttledHosts.add(r.key()));
                assertThat(limiter.tasks).anySatisfy(t -> {
                    assertThat(t.getAttempt()).isGreaterThan(1);
                    assertThat(simulator.simulates(t.getDid())).isTrue();
                });
                assertThat(limiter.seen).allSatisfy(r -> assertThat(topics.topics.serdes().stringKey().deserializer()
                        .deserialize(topics.names.retry(), r.key())).startsWith("http://127.0.0.1:"));
                assertThat(throttledHosts).isNotEmpty();
            }
        } finally {
            garbage.stop(0);
        }
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The statuses that end an attempt (DONE, FAILED), without the FETCHING each attempt starts with. */
    static List<ConsumerRecord<String, DidStatus>> outcomes(List<ConsumerRecord<String, DidStatus>> statuses) {
        return statuses.stream().filter(r -> r.value().getState() != DidState.FETCHING).toList();
    }
}
