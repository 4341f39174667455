package io.sluice.dcb.service;

import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.AppendResponse;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.QueryMatcher;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.PrometheusText;
import io.sluice.ops.metrics.PrometheusText.Sample;
import io.sluice.testing.ForcedGc;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.sluice.dcb.service.check.DcbClient.condition;
import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP contract against the real stack (broker, registry, decider, events sink, PostgreSQL):
 * reads and appends as the dcb.events suite's default adapter makes them, read-your-writes, the
 * 400s, idempotency keys, 50 clients racing for one username, and /metrics beside the API. The tests
 * share one store, so each works under tags of its own.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DcbApiIT {

    private static DcbService service;
    private static DcbClient client;
    private static ComponentMetrics metrics;
    private static TestStack testStack;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        testStack = stack;
        metrics = new ComponentMetrics("dcb-api");
        service = DcbService.start(TestServices.config(stack, stateDir), line -> { }, metrics);
        client = new DcbClient(service.baseUri());
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (service != null) service.close();
        if (metrics != null) metrics.close();
    }

    @Test
    void metricsAreServedBesideTheApiAndCountWhatTheSinkWrote() throws Exception {
        // a counter Micrometer held only weakly would be gone now and stay at its last value
        ForcedGc.collect();
        client.append(List.of(event("Metered", List.of("metrics:1"), "{}")), null);
        try (HttpClient http = HttpClient.newHttpClient()) {
            URI url = service.baseUri().resolve("/metrics");
            // the sink's written total catches up with the events table, whatever the other tests appended
            awaitWrittenEqualsTheEventsTable(http, url);
            ForcedGc.collect();
            client.append(List.of(event("Metered", List.of("metrics:2"), "{}")), null);
            awaitWrittenEqualsTheEventsTable(http, url);
            List<Sample> samples = scrape(http, url);
            assertThat(PrometheusText.find(samples, "sluice_sink_records_dead_lettered_total", Map.of())).extracting(Sample::value)
                    .containsOnly(0.0);
            assertThat(PrometheusText.find(samples, "kafka_stream_thread_process_total", Map.of())).as("the decider's Streams metrics")
                    .extracting(Sample::value).anyMatch(processed -> processed >= 2);
            assertThat(PrometheusText.find(samples, "jvm_memory_used_bytes", Map.of("component", "dcb-api"))).isNotEmpty();
        }
    }

    private static void awaitWrittenEqualsTheEventsTable(HttpClient http, URI url) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                double written = PrometheusText.find(scrape(http, url), "sluice_sink_records_written_total", Map.of("component", "dcb-api"))
                        .stream().mapToDouble(Sample::value).sum();
                return written >= 1 && written == eventsInPostgres();
            });
    }

    private static List<Sample> scrape(HttpClient http, URI url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    private static long eventsInPostgres() throws Exception {
        try (Connection c = testStack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM events")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aReadAfterAnAppendReturnedSeesIt() {
        for (int n = 0; n < 30; n++) {
            int i = n;
            String tag = "ryw:" + i;
            AppendResponse appended = client.append(List.of(event("Noted", List.of(tag), "{\"i\":" + i + "}")), null);
            assertThat(appended.appendConditionFailed()).isFalse();
            assertThat(appended.durationInMicroseconds()).isPositive();

            List<ReadEvent> read = client.read(query(List.of(item(List.of(), List.of(tag)))), null);
            assertThat(read).as("read %d right after its append", i).singleElement()
                    .satisfies(e -> {
                        assertThat(e.type()).isEqualTo("Noted");
                        assertThat(e.tags()).containsExactly(tag);
                        assertThat(e.data()).isEqualTo("{\"i\":" + i + "}");
                    });
        }
    }

    @Test
    void aConditionFailsOnlyWhenAMatchingEventCameAfterThePositionGiven() {
        Map<String, Object> course = query(List.of(item(List.of("CourseDefined"), List.of("course:c1"))));
        assertThat(client.append(List.of(event("CourseDefined", List.of("course:c1"), "v1")), condition(course, null))
                .appendConditionFailed()).isFalse();
        long position = client.readLast(course).position();

        assertThat(client.append(List.of(event("CourseDefined", List.of("course:c1"), "v2")), condition(course, null))
                .appendConditionFailed()).as("fails if any exists").isTrue();
        assertThat(client.append(List.of(event("CourseDefined", List.of("course:c1"), "v2")), condition(course, position - 1))
                .appendConditionFailed()).as("fails if one is after").isTrue();
        assertThat(client.append(List.of(event("CourseRenamed", List.of("course:c1"), "v2")), condition(course, position))
                .appendConditionFailed()).as("passes when none is after").isFalse();
        assertThat(client.read(course, null)).extracting(ReadEvent::data).containsExactly("v1");
    }

    @Test
    void readsMatchTheQueryModelForEveryShapeOfQueryAndOptions() {
        Random random = new Random(11);
        List<String> types = List.of("ShapeA", "ShapeB", "ShapeC");
        List<String> tags = List.of("shape:1", "shape:2", "shape:3", "shape:4");
        for (int i = 0; i < 60; i++) {
            List<String> eventTags = new ArrayList<>(new HashSet<>(List.of(pick(random, tags), pick(random, tags))));
            client.append(List.of(event(pick(random, types), eventTags, "shape-" + i)), null);
        }
        List<ReadEvent> log = client.readAll();
        for (int q = 0; q < 80; q++) {
            List<Map<String, Object>> items = new ArrayList<>();
            List<QueryItem> modelItems = new ArrayList<>();
            for (int n = random.nextInt(3); n > 0; n--) {
                List<String> itemTypes = sample(random, types, random.nextInt(3));
                List<String> itemTags = sample(random, tags, random.nextInt(3));
                items.add(item(itemTypes, itemTags));
                modelItems.add(QueryItem.of(itemTypes, itemTags));
            }
            Query model = new Query(modelItems);
            Map<String, Object> options = new LinkedHashMap<>();
            boolean backwards = random.nextBoolean();
            if (backwards) options.put("backwards", true);
            Long from = random.nextBoolean() ? (long) random.nextInt(log.size() + 2) : null;
            if (from != null) options.put("from", from);
            Integer limit = random.nextBoolean() ? 1 + random.nextInt(5) : null;
            if (limit != null) options.put("limit", limit);

            List<ReadEvent> expected = new ArrayList<>();
            List<ReadEvent> ordered = new ArrayList<>(log);
            if (backwards) java.util.Collections.reverse(ordered);
            for (ReadEvent e : ordered) {
                boolean inRange = from == null || (backwards ? e.position() <= from : e.position() >= from);
                if (inRange && QueryMatcher.matches(model, e.type(), e.tags())
                        && (limit == null || expected.size() < limit)) {
                    expected.add(e);
                }
            }
            assertThat(client.read(query(items), options)).as("query %s options %s", items, options)
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void anIdempotencyKeyAppliesARetriedAppendOnce() {
        List<Map<String, Object>> events = List.of(event("Paid", List.of("invoice:7"), "100"));
        Map<String, Object> invoice = query(List.of(item(List.of(), List.of("invoice:7"))));
        AppendResponse first = client.append(events, condition(invoice, null), "pay-invoice-7");
        AppendResponse retry = client.append(events, condition(invoice, null), "pay-invoice-7");

        assertThat(first.appendConditionFailed()).isFalse();
        assertThat(retry.appendConditionFailed()).as("the retry gets the first answer, not a failed condition").isFalse();
        assertThat(client.read(invoice, null)).hasSize(1);

        HttpResponse<String> reused = client.post("/append", DcbClient.write(Map.of("events",
                List.of(event("Paid", List.of("invoice:8"), "5")))), "pay-invoice-7");
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(reused.body()).contains("already used for a different append");
    }

    @Test
    void fiftyClientsClaimingOneUsernameExactlyOneWins() throws Exception {
        Map<String, Object> taken = query(List.of(item(List.of(), List.of("username:x"))));
        int clients = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<AppendResponse>> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                int n = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    return client.append(List.of(event("UserRegistered", List.of("username:x"), "client-" + n)),
                            condition(taken, null));
                }));
            }
            go.countDown();
        }
        long won = 0;
        for (Future<AppendResponse> answer : answers) if (!answer.get().appendConditionFailed()) won++;

        assertThat(won).isEqualTo(1);
        assertThat(client.read(taken, null)).hasSize(1);
    }

    @Test
    void badRequestsAre400sThatSayWhatIsWrong() {
        assertBadAppend("{\"events\": [", "not valid JSON");
        assertBadAppend("{\"events\": []}", "events must be a non-empty array");
        assertBadAppend("{}", "events must be a non-empty array");
        assertBadAppend("{\"events\": [{\"type\": \"A\", \"data\": \"x\", \"colour\": 1}]}", "unknown field 'colour' in events[0]");
        assertBadAppend("{\"events\": [{\"type\": \"A\", \"data\": \"x\"}], \"condition\": {\"after\": 3}}",
                "condition.failIfEventsMatch is required");
        assertBadAppend("{\"events\": [{\"type\": \"A\", \"data\": \"x\"}], \"condition\": {\"failIfEventsMatch\": {},"
                + " \"after\": \"3\"}}", "condition.after must be a whole number");
        assertBadAppend("{\"events\": [{\"type\": \" \", \"data\": \"x\"}]}", "events[0].type must be a non-blank string");
        assertBadAppend("{\"events\": [{\"type\": \"A\", \"data\": {\"k\": 1}}]}", "events[0].data must be a string");
        HttpResponse<String> tooLarge = client.post("/append", "{\"events\": [{\"type\": \"A\", \"data\": \""
                + "x".repeat(1 << 20) + "\"}]}", null);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("\"error\":\"too_large\"").contains("larger than 1032192 bytes")
                .contains("--max-body-bytes");

        assertBadRead(DcbClient.readPath(Map.of("items", List.of(Map.of("types", List.of(""), "tags", List.of()))), null),
                "query.items[0].types[0] must be a non-blank string");
        assertBadRead("/read?query=%7Bnope", "query is not valid JSON");
        assertBadRead(DcbClient.readPath(null, Map.of("limit", 0)), "options.limit must be at least 1");
        assertBadRead(DcbClient.readPath(null, Map.of("form", 3)), "unknown field 'form' in options");
        assertBadRead("/read?querry=%7B%7D", "unknown parameter 'querry'");

        HttpResponse<String> wrongMethod = client.get("/append");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
        assertThat(client.get("/nothing-here").statusCode()).isEqualTo(404);
    }

    private static void assertBadAppend(String body, String message) {
        HttpResponse<String> response = client.post("/append", body, null);
        assertThat(response.statusCode()).as(body.length() > 200 ? body.substring(0, 200) : body).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"error\":\"bad_request\"").contains(message);
    }

    private static void assertBadRead(String path, String message) {
        HttpResponse<String> response = client.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(400);
        assertThat(response.body()).contains("\"error\":\"bad_request\"").contains(message);
    }

    private static String pick(Random random, List<String> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static List<String> sample(Random random, List<String> values, int n) {
        Set<String> picked = new HashSet<>();
        while (picked.size() < n) picked.add(pick(random, values));
        return List.copyOf(picked);
    }
}
