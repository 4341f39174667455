package io.sluice.backfill.fetch;

import com.sun.net.httpserver.HttpServer;
import io.sluice.backfill.atproto.testing.HostileCars;
import io.sluice.schemas.backfill.DidState;
import io.sluice.schemas.backfill.DidStatus;
import io.sluice.schemas.backfill.FetchTask;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11, item 3: a fetcher in its own JVM with a 256 MB heap downloads the two CARs within the
 * default limits that the block index on the heap could not bear: 6.5 million tiny blocks (the old
 * index alone wanted some 250 MB) and 1,000 keys naming one 1.5 MB block. Neither may end in an
 * OutOfMemoryError; the first must be extracted in full, the second must end in an outcome
 * (whatever the record limits make of it) with the heap bounded by the block budget.
 */
@WithSluiceStack
class CarMemoryIT {

    private static final Logger log = LoggerFactory.getLogger(CarMemoryIT.class);
    /**
     * The bound is the child's -Xmx256m with -XX:+ExitOnOutOfMemoryError: the run must complete in it
     * (the old on-heap index ran out at -Xmx512m). The "live" heap after each collection is logged, not
     * asserted: it counts garbage promoted by young collections and follows the heap it is given (seen
     * 160-240 MB at -Xmx256m, 173 MB when the same run was given -Xmx192m and completed there too).
     */
    private static final Pattern LIVE = Pattern.compile("peak_live_heap_mb=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void hostileCarsWithinTheLimitsAreFetchedWithinA256MegabyteHeap(TestStack stack) throws Exception {
        Path many = dir.resolve("many-blocks.car");
        HostileCars.manyBlocks(many, 6_500_000, 3);
        Path amplifying = dir.resolve("amplifying.car");
        HostileCars.amplifying(amplifying, 1000, 1_500_000);
        HttpServer pds = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        serve(pds, "/many", many);
        serve(pds, "/amplifying", amplifying);
        pds.start();
        try (FetchTopics topics = new FetchTopics(stack)) {
            String base = "http://127.0.0.1:" + pds.getAddress().getPort();
            Instant now = Instant.now();
            topics.sendTasks(List.of(task(base + "/many", "many", now), task(base + "/amplifying", "amplifying", now)));

            FetcherConfig.TopicSet n = topics.names;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx" + System.getProperty("sluice.fetcher.heap", "256m"), "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError", "-cp",
                    System.getProperty("java.class.path"), ForkedFetcher.class.getName(),
                    stack.bootstrapServers(), stack.registryUrl(), stack.unique("car-memory-fetcher"), n.fetch(), n.records(),
                    n.status(), n.retry(), n.signals(), n.dlq(), "2", dir.toString()));
            long start = System.nanoTime();
            Path childLog = dir.resolve("fetcher.log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(childLog.toFile()).start();
            if (!child.waitFor(5, TimeUnit.MINUTES)) child.destroyForcibly().waitFor();
            String output = Files.readString(childLog);
            String summary = output.lines().filter(l -> l.startsWith("peak_heap_mb=")).findFirst().orElse("");
            String tail = String.join("\n", output.lines().skip(Math.max(0, output.lines().count() - 20)).toList());
            log.info("forked fetcher: {} in {} s; output tail:\n{}", summary,
                    String.format("%.1f", (System.nanoTime() - start) / 1e9), tail);

            assertThat(output).doesNotContain("OutOfMemoryError");
            assertThat(child.exitValue()).as(tail).isZero();
            Matcher live = LIVE.matcher(summary);
            assertThat(live.find()).as(summary).isTrue();
            log.info("peak live heap {} MB in a {} heap", live.group(1), System.getProperty("sluice.fetcher.heap", "256m"));

            List<ConsumerRecord<String, DidStatus>> outcomes = FetcherIT.outcomes(topics.readUntil(n.status(),
                    topics.topics.backfillStatus().valueSerde().deserializer(), Duration.ofMinutes(1),
                    l -> FetcherIT.outcomes(l).size() >= 2));
            assertThat(outcomes).hasSize(2);
            outcomes.forEach(o -> log.info("outcome: {} {} records={} error={}", o.value().getRunId(), o.value().getState(),
                    o.value().getRecords(), o.value().getLastError()));
            assertThat(outcomes).filteredOn(o -> o.value().getRunId().equals("many")).singleElement().satisfies(o -> {
                assertThat(o.value().getState()).isEqualTo(DidState.DONE);
                assertThat(o.value().getRecords()).isEqualTo(1);
                assertThat(o.value().getBytes()).isEqualTo(Files.size(many));
            });
            // Each of the 1,000 keys names the one 1.5 MB block, over --max-record-bytes: each record is
            // dead-lettered alone, nothing of 1.5 GB reaches Kafka.
            assertThat(outcomes).filteredOn(o -> o.value().getRunId().equals("amplifying")).singleElement().satisfies(o -> {
                assertThat(o.value().getState()).isEqualTo(DidState.PARTIAL);
                assertThat(o.value().getRecords()).isZero();
                assertThat(o.value().getDeadLettered()).isEqualTo(1000);
            });
        } finally {
            pds.stop(0);
        }
    }

    /** Both CARs hold the same DID; the run id tells their outcomes apart. */
    private static FetchTask task(String endpoint, String runId, Instant now) {
        return FetchTask.newBuilder(FetchTopics.task(HostileCars.DID, endpoint, "127.0.0.1", 1, now, now.plus(Duration.ofMinutes(5))))
                .setRunId(runId).build();
    }

    /** getRepo under {@code prefix}, answered with {@code car} whatever the DID. */
    private static void serve(HttpServer server, String prefix, Path car) {
        server.createContext(prefix + "/xrpc/com.atproto.sync.getRepo", exchange -> {
            exchange.getResponseHeaders().add("content-type", "application/vnd.ipld.car");
            exchange.sendResponseHeaders(200, Files.size(car));
            try (OutputStream body = exchange.getResponseBody()) {
                Files.copy(car, body);
            }
        });
    }
}
