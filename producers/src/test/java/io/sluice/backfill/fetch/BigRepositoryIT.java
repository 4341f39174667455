package io.sluice.backfill.fetch;

import io.sluice.backfill.simulator.ExpectedRepo;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.RepoRecord;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One 200 MB repository fetched by a fetcher in its own JVM with a 512 MB heap: it must finish
 * (no OutOfMemoryError) with every record, because blocks beyond the shared block budget spill to
 * disk and only a compact index stays on the heap.
 */
@WithSluiceStack
class BigRepositoryIT {

    private static final Logger log = LoggerFactory.getLogger(BigRepositoryIT.class);
    private static final long BIG = 200L * 1024 * 1024;

    @TempDir
    Path spill;

    @Test
    void aTwoHundredMegabyteRepositoryIsFetchedWithinA512MegabyteHeap(TestStack stack) throws Exception {
        PdsSimulatorConfig sim = PdsSimulatorConfig.builder().hosts(1).dids(2).bigRepoBytes(BIG).build();
        try (PdsSimulator simulator = PdsSimulator.start(sim); FetchTopics topics = new FetchTopics(stack)) {
            String did = simulator.bigRepoDid().orElseThrow();
            ExpectedRepo expected = simulator.expected(did);
            log.info("big repository: {} bytes, {} records", expected.carBytes(), expected.records());
            Instant now = Instant.now();
            topics.sendTasks(List.of(FetchTopics.task(did, simulator.endpointOf(did), simulator.endpointOf(did), 1, now,
                    now.plus(Duration.ofMinutes(10)))));

            FetcherConfig.TopicSet n = topics.names;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + System.getProperty("sluice.fetcher.heap", "512m"), "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), ForkedFetcher.class.getName(),
                    stack.bootstrapServers(), stack.registryUrl(), stack.unique("big-fetcher"), n.fetch(), n.records(),
                    n.status(), n.retry(), n.signals(), n.dlq(), "1", spill.toString()));
            long start = System.nanoTime();
            Path childLog = spill.resolve("fetcher.log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
            if (!child.waitFor(10, TimeUnit.MINUTES)) child.destroyForcibly().waitFor();
            String output = Files.readString(childLog);
            double seconds = (System.nanoTime() - start) / 1e9;
            String summary = output.lines().filter(l -> l.startsWith("peak_heap_mb=")).findFirst().orElse("");
            log.info("forked fetcher: {} in {} s; output tail:\n{}", summary, String.format("%.1f", seconds),
                    output.lines().skip(Math.max(0, output.lines().count() - 20)).reduce("", (a, b) -> a + b + "\n"));
            assertThat(child.exitValue()).isZero();
            assertThat(output).doesNotContain("OutOfMemoryError");
            assertThat(summary).contains("done=1 failed=0 records=" + expected.records());

            List<ConsumerRecord<String, DidStatus>> status = FetcherIT.outcomes(topics.readUntil(n.status(),
                    topics.topics.backfillStatus().valueSerde().deserializer(), Duration.ofMinutes(1),
                    l -> !FetcherIT.outcomes(l).isEmpty()));
            assertThat(status).singleElement().satisfies(r -> {
                assertThat(r.value().getState()).isEqualTo(DidState.DONE);
                assertThat(r.value().getRecords()).isEqualTo(expected.records());
                assertThat(r.value().getBytes()).isEqualTo(expected.carBytes());
            });
            RecordChecksum checksum = new RecordChecksum();
            List<ConsumerRecord<String, RepoRecord>> records = topics.readUntil(n.records(),
                    topics.topics.backfillRecords().valueSerde().deserializer(), Duration.ofMinutes(3),
                    l -> l.size() >= expected.records());
            records.forEach(r -> checksum.add(did, r.value().getCollection(), r.value().getRkey(), r.value().getCid()));
            assertThat(checksum.count()).isEqualTo(expected.records());
            assertThat(checksum.hex()).isEqualTo(expected.checksum());
        }
    }
}
