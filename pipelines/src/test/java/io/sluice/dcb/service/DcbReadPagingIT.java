package io.sluice.dcb.service;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.OrdinaryLatency;
import io.sluice.dcb.service.testing.TestServices;

import io.sluice.testing.ForcedGc;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static io.sluice.dcb.service.testing.OrdinaryLatency.ms;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded reads against the real stack: a read without a limit returns the default 1000 events and
 * says so ({@code Dcb-Read-Limit}); paging with {@code from} = the last position + 1 (backwards: - 1)
 * returns every event exactly once; a limit above the maximum is a 400; and 16 concurrent reads of
 * the whole of a 48 MB table cost the API a bounded heap, because rows are streamed from a cursor, while an
 * ordinary client's appends go on being answered (their latency is printed).
 */
@WithSluiceStack
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DcbReadPagingIT {

    private static final int READERS = 16;

    private static DcbService service;
    private static DcbClient client;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        DcbServiceConfig config = TestServices.config(stack, stateDir);
        // one connection per concurrent reader, so that all of them are mid-answer at once
        service = DcbService.start(config.withApi(config.api().withReadPoolSize(READERS)), line -> { });
        client = new DcbClient(service.baseUri());
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (service != null) service.close();
    }

    @Test
    void pagingFromTheLastPositionReturnsEveryEventExactlyOnceInBothDirections() {
        // 28 appends of 90 tagged events and 10 others, which the query must skip: 2520 matches
        List<Integer> expected = new ArrayList<>();
        for (int a = 0; a < 28; a++) {
            List<Map<String, Object>> events = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                int n = a * 90 + i;
                expected.add(n);
                events.add(event("Paged", List.of("paged"), String.valueOf(n)));
                if (i % 9 == 0) events.add(event("Other", List.of("other"), "x"));
            }
            client.append(events, null);
        }
        Map<String, Object> paged = query(List.of(item(List.of(), List.of("paged"))));
        assertThat(client.read(paged, Map.of("limit", 10_000))).as("one read of up to the maximum")
                .extracting(e -> Integer.parseInt(e.data())).containsExactlyElementsOf(expected);

        HttpResponse<String> first = client.get(DcbClient.readPath(paged, null));
        assertThat(first.headers().firstValue("Dcb-Read-Limit")).hasValue("1000");
        assertThat(first.headers().firstValue("Transfer-Encoding")).hasValue("chunked");

        List<Integer> forwards = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        Long from = null;
        while (true) {
            List<ReadEvent> page = client.read(paged, from == null ? null : Map.of("from", from));
            pageSizes.add(page.size());
            page.forEach(e -> forwards.add(Integer.parseInt(e.data())));
            if (page.size() < 1000) break;
            from = page.get(page.size() - 1).position() + 1;
        }
        assertThat(forwards).containsExactlyElementsOf(expected);
        assertThat(pageSizes).hasSize(expected.size() / 1000 + 1).allMatch(size -> size <= 1000);

        List<Integer> backwards = new ArrayList<>();
        Map<String, Object> options = new LinkedHashMap<>(Map.of("backwards", true, "limit", 700));
        while (true) {
            List<ReadEvent> page = client.read(paged, options);
            page.forEach(e -> backwards.add(Integer.parseInt(e.data())));
            if (page.size() < 700) break;
            options.put("from", page.get(page.size() - 1).position() - 1);
        }
        Collections.reverse(backwards);
        assertThat(backwards).containsExactlyElementsOf(expected);

        HttpResponse<String> tooMany = client.get(DcbClient.readPath(paged, Map.of("limit", 10_001)));
        assertThat(tooMany.statusCode()).isEqualTo(400);
        assertThat(tooMany.body()).contains("options.limit 10001 is more than the maximum of 10000 (--read-max-limit raises it)");
    }

    @Test
    void sixteenConcurrentReadsOfALargeTableCostTheApiABoundedHeap() throws Exception {
        // 3000 events of 16 KiB: a 48 MiB table that each reader reads whole (limit 10,000)
        String data = "d".repeat(16 * 1024);
        int events = 3000;
        for (int a = 0; a < events / 60; a++) {
            client.append(Collections.nCopies(60, event("Large", List.of("large"), data)), null);
        }
        String path = DcbClient.readPath(query(List.of(item(List.of(), List.of("large")))), Map.of("limit", 10_000));
        for (int i = 0; i < 10; i++) ordinaryAppend(i); // warm-up
        List<Long> quiet = new ArrayList<>();
        for (int i = 0; i < 100; i++) quiet.add(ordinaryAppend(i));
        Collections.sort(quiet);

        ForcedGc.collect();
        long before = heapUsed();
        CountDownLatch started = new CountDownLatch(READERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> counts = new ArrayList<>();
        // Platform threads, as 16 client processes would be: virtual threads here would share the API's
        // carriers (one per core) with its own request threads, a contention no remote client causes.
        try (ExecutorService readers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().factory());
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int r = 0; r < READERS; r++) {
                counts.add(readers.submit(() -> {
                    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(service.baseUri().resolve(path))
                            .timeout(Duration.ofSeconds(120)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
                    assertThat(response.statusCode()).isEqualTo(200);
                    try (InputStream body = response.body()) {
                        // the first bytes are here: the answer has started; hold the rest back until all have
                        byte[] head = body.readNBytes(8192);
                        assertThat(head).hasSize(8192);
                        started.countDown();
                        go.await();
                        return countEvents(new SequenceInputStream(new ByteArrayInputStream(head), body));
                    }
                }));
            }
            assertThat(started.await(60, TimeUnit.SECONDS)).as("all readers started receiving").isTrue();
            // the server writes until the sockets' buffers are full, then waits: its heap now is what a read costs
            Thread.sleep(2000);
            ForcedGc.collect();
            long during = heapUsed();
            go.countDown();
            // an ordinary client appends while the 16 answers stream
            List<Long> during16 = new ArrayList<>();
            while (counts.stream().anyMatch(f -> !f.isDone()) && during16.size() < 400) during16.add(ordinaryAppend(during16.size()));
            for (Future<Integer> count : counts) assertThat(count.get(120, TimeUnit.SECONDS)).isEqualTo(events);
            Collections.sort(during16);
            System.out.printf("DcbReadPagingIT ordinary append p50/p99/max: quiet %.1f/%.1f/%.1f ms, during %d whole-table reads"
                    + " (%d appends) %.1f/%.1f/%.1f ms%n", ms(quiet, 50), ms(quiet, 99), ms(quiet, 100), READERS, during16.size(),
                    ms(during16, 50), ms(during16, 99), ms(during16, 100));
            assertThat(during16).as("appends answered while the reads streamed").hasSizeGreaterThanOrEqualTo(10);
            // The API writes each read on a platform thread (ReadWriters): on virtual threads the busy reads held
            // every carrier, and appends took up to 1.2 s. The rule of the other attacks (OrdinaryLatency).
            OrdinaryLatency.Figures figures = new OrdinaryLatency.Figures(quiet, during16, READERS);
            assertThat(figures.attackedP99()).as(figures.describe("whole-table reads streaming")).isLessThanOrEqualTo(figures.bound());
            long perReader = (during - before) / READERS;
            System.out.printf("DcbReadPagingIT heap after GC: before %d MiB, with %d reads of a %d MiB table in flight %d MiB"
                    + " (%+d KiB per read)%n", before >> 20, READERS, (long) events * data.length() >> 20, during >> 20,
                    perReader >> 10);
            // building each answer in memory would take at least the table's 48 MiB per reader (768 MiB for 16)
            assertThat(during - before).as("heap growth with %d reads in flight", READERS).isLessThan(64L << 20);
        }
    }

    private static long ordinaryAppend(int i) {
        long started = System.nanoTime();
        client.append(List.of(event("Ordinary", List.of("ordinary:" + i), "{}")), null);
        return System.nanoTime() - started;
    }

    /** Events in the JSON array, read as a stream; an answer cut short fails here instead of reading as a shorter one. */
    private static int countEvents(InputStream body) throws Exception {
        try (JsonParser parser = DcbClient.JSON.getFactory().createParser(body)) {
            int positions = 0;
            for (JsonToken token; (token = parser.nextToken()) != null; ) {
                if (token == JsonToken.FIELD_NAME && parser.getParsingContext().getParent().inArray()
                        && "position".equals(parser.currentName())) {
                    positions++;
                }
            }
            return positions;
        }
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
