package io.sluice.dcb.service;

import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.testing.OrdinaryLatency;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import static io.sluice.dcb.service.check.DcbClient.condition;
import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static io.sluice.dcb.service.check.DcbClient.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCB request limits against the real stack, at their defaults: every request over a limit (the
 * issue's 100,000-tag append and 90,000-tag condition among them), and every append of text PostgreSQL
 * cannot store (U+0000, a lone surrogate, overlong UTF-8), is refused with the status and a
 * message naming the limit's option, in under 100 ms, before it reaches Kafka; an ordinary client
 * appending while they arrive flat out is not stalled (its p99 stays under 100 ms, or within 100 ms
 * of its quiet p99 on a machine too loaded for that); and the most expensive requests the limits
 * still allow are decided in bounded time.
 */
@WithSluiceStack
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class DcbLimitsIT {

    private static final Duration REJECTION_BOUND = Duration.ofMillis(100);

    /** One request over a limit, what it must be answered, and how to send it. */
    record Hostile(String name, int status, String message, Supplier<HttpResponse<String>> send) {
    }

    private static DcbService service;
    private static DcbClient client;
    private static List<Hostile> hostile;

    @BeforeAll
    static void start(TestStack stack, @TempDir Path stateDir) throws InterruptedException {
        service = DcbService.start(TestServices.config(stack, stateDir), line -> { });
        client = new DcbClient(service.baseUri());
        hostile = hostileRequests();
    }

    @AfterAll
    static void stop() {
        if (client != null) client.close();
        if (service != null) service.close();
    }

    @Test
    void everyRequestOverALimitIsRefusedQuicklyNamingTheLimitAndNothingReachesTheLog() {
        long before = client.readAll().size();
        for (Hostile h : hostile) assertAnswered(h, h.send().get()); // warm-up
        for (Hostile h : hostile) {
            long slowest = 0;
            for (int i = 0; i < 5; i++) {
                long started = System.nanoTime();
                HttpResponse<String> response = h.send().get();
                slowest = Math.max(slowest, System.nanoTime() - started);
                assertAnswered(h, response);
            }
            System.out.printf("DcbLimitsIT rejection %-28s slowest of 5: %6.1f ms%n", h.name(), slowest / 1e6);
            assertThat(Duration.ofNanos(slowest)).as(h.name()).isLessThan(REJECTION_BOUND);
        }
        assertThat(client.readAll()).as("nothing was appended").hasSize((int) before);
        assertThat(service.api().pendingAppends()).isZero();
    }

    @Test
    void anOrdinaryClientKeepsItsLatencyWhileHostileRequestsArrive() throws Exception {
        OrdinaryLatency.Figures figures = OrdinaryLatency.measure(200, DcbLimitsIT::ordinaryAppend, () -> {
            for (Hostile h : hostile) assertAnswered(h, h.send().get());
            return hostile.size();
        });
        System.out.println("DcbLimitsIT " + figures.describe("hostile requests"));
        assertThat(figures.attacks()).isGreaterThan(hostile.size());
        // seen: quiet p99 58-145 ms, attacked 115-151 ms, the machine shared with other builds; unlimited, one
        // request kept the decider busy for 30 s, which would add at least that to the p99
        assertThat(figures.attackedP99()).as("p99 of 200 ordinary appends under attack, ms").isLessThan(figures.bound());
    }

    @Test
    void theCostliestRequestsTheLimitsAllowAreDecidedInBoundedTime() {
        timed(wideAppend(1, 1)); // warm-up
        double slowest = 0;
        // the limits' corners: most events, most tags on few events, most tags spread over the most events
        for (int[] shape : new int[][] {{100, 0}, {10, 100}, {100, 10}}) {
            String body = wideAppend(shape[0], shape[1]);
            double ms = timed(body);
            slowest = Math.max(slowest, ms);
            System.out.printf("DcbLimitsIT allowed append of %d events x %d distinct tags (%d bytes): %.0f ms%n", shape[0],
                    shape[1], body.length(), ms);
        }
        String deepest = deepCondition();
        double deepestMs = timed(deepest);
        System.out.printf("DcbLimitsIT allowed condition of 100 items x (100 types + 100 tags), %d bytes: %.0f ms%n",
                deepest.length(), deepestMs);
        // unlimited, the issue measured 30 s (100,000 tags) and 20 s (90,000 condition tags); an ordinary append
        // takes tens of ms on a loaded machine
        assertThat(slowest).as("slowest allowed append, ms").isLessThan(500.0);
        assertThat(deepestMs).as("costliest allowed condition, ms").isLessThan(500.0);
    }

    /** {@code events} events of {@code tags} distinct tags each. */
    private static String wideAppend(int events, int tags) {
        int offset = ThreadLocalRandom.current().nextInt(1_000_000);
        List<Map<String, Object>> list = new ArrayList<>();
        for (int e = 0; e < events; e++) {
            int first = offset + e * tags;
            list.add(event("W", IntStream.range(first, first + tags).mapToObj(Integer::toString).toList(), ""));
        }
        return write(Map.of("events", list));
    }

    /** A condition of 100 items, each with 100 types and 100 tags. */
    private static String deepCondition() {
        int offset = ThreadLocalRandom.current().nextInt(1_000_000);
        List<String> tags = IntStream.range(offset, offset + 100).mapToObj(Integer::toString).toList();
        List<String> types = IntStream.range(0, 100).mapToObj(i -> i == 0 ? "W" : "T" + i).toList();
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) items.add(item(types, tags));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", List.of(event("C", List.of("costly"), "")));
        body.put("condition", condition(query(items), 0L));
        return write(body);
    }

    private static double timed(String body) {
        long started = System.nanoTime();
        HttpResponse<String> response = client.post("/append", body, null);
        double ms = (System.nanoTime() - started) / 1e6;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return ms;
    }

    private static void ordinaryAppend(int i) {
        client.append(List.of(event("Ordinary", List.of("ordinary:" + i), "{\"i\":" + i + "}")), null);
    }

    private static void assertAnswered(Hostile h, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(h.name() + ": " + response.body()).isEqualTo(h.status());
        assertThat(response.body()).as(h.name()).contains(h.message());
    }

    private static List<Hostile> hostileRequests() {
        List<Hostile> requests = new ArrayList<>();
        String oneEvent = write(event("A", List.of(), ""));
        String manyEvents = "{\"events\": [" + String.join(",", Collections.nCopies(101, oneEvent)) + "]}";
        requests.add(append("101 events", 400, "events holds 101 events, more than the limit of 100"
                + " (--max-events-per-append raises it)", manyEvents));
        String taggedEvent = write(event("A", numbered("t", 91), ""));
        requests.add(append("1001 tags in one append", 400, "events hold 1001 tags together, more than the limit of 1000"
                + " (--max-tags-per-append raises it)", "{\"events\": [" + String.join(",", Collections.nCopies(11, taggedEvent)) + "]}"));
        requests.add(append("100,000 tags on one event", 400, "events[0].tags holds 100000 tags, more than the limit of 100"
                + " (--max-tags-per-event raises it)", write(Map.of("events", List.of(event("A", numbered("t", 100_000), ""))))));
        requests.add(append("90,000 tags in a condition", 400, "condition.failIfEventsMatch.items[0].tags holds 90000 tags"
                + ", more than the limit of 100 (--max-tags-per-item raises it)", conditional(List.of(item(List.of(),
                numbered("t", 90_000))))));
        requests.add(append("101 condition items", 400, "--max-query-items", conditional(Collections.nCopies(101,
                item(List.of("A"), List.of())))));
        requests.add(append("101 types in an item", 400, "--max-types-per-item", conditional(List.of(item(numbered("T", 101),
                List.of())))));
        requests.add(append("a 257-byte type", 400, "events[0].type is 257 bytes long in UTF-8, more than the limit of 256"
                + " (--max-name-bytes raises it)", write(Map.of("events", List.of(event("x".repeat(257), List.of(), ""))))));
        requests.add(append("a 2 MiB body", 413, "--max-body-bytes",
                write(Map.of("events", List.of(event("A", List.of(), "z".repeat(2 << 20)))))));
        // what PostgreSQL text cannot hold is refused as fast, before Kafka (once answered 200, then lost)
        requests.add(append("U+0000 in a tag", 400, "events[0].tags[0] contains U+0000, which PostgreSQL text cannot store",
                "{\"events\": [{\"type\": \"A\", \"tags\": [\"t\\u0000\"], \"data\": \"d\"}]}"));
        requests.add(append("a lone surrogate in data", 400, "events[0].data contains an unpaired surrogate U+D800",
                "{\"events\": [{\"type\": \"A\", \"data\": \"x\\ud800\"}]}"));
        byte[] overlong = "{\"events\": [{\"type\": \"A\", \"data\": \"a__b\"}]}".getBytes(StandardCharsets.US_ASCII);
        int at = new String(overlong, StandardCharsets.US_ASCII).indexOf("__");
        overlong[at] = (byte) 0xC0; // C0 AF: an overlong '/'
        overlong[at + 1] = (byte) 0xAF;
        requests.add(append("overlong UTF-8", 400, "the request body is not valid UTF-8", overlong));
        String wideRead = DcbClient.readPath(query(Collections.nCopies(101, item(List.of(), List.of("t")))), null);
        requests.add(new Hostile("a read of 101 items", 400, "query.items holds 101 items", () -> client.get(wideRead)));
        String longRead = DcbClient.readPath(null, Map.of("limit", 10_001));
        requests.add(new Hostile("a read limit of 10,001", 400, "options.limit 10001 is more than the maximum of 10000"
                + " (--read-max-limit raises it)", () -> client.get(longRead)));
        return requests;
    }

    private static Hostile append(String name, int status, String message, String body) {
        // encoded once: the attacker's own cost of building requests is not the server's to bear in this JVM
        return append(name, status, message, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Hostile append(String name, int status, String message, byte[] bytes) {
        return new Hostile(name, status, message, () -> client.send(HttpRequest.newBuilder(service.baseUri().resolve("/append"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes))));
    }

    private static String conditional(List<Map<String, Object>> items) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", List.of(event("A", List.of(), "")));
        body.put("condition", condition(query(items), null));
        return write(body);
    }

    private static List<String> numbered(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }
}
