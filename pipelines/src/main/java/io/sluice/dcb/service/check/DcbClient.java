package io.sluice.dcb.service.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A client of the dcb.events HTTP contract, as the benchmark suite's default adapter uses it:
 * JSON in, JSON out, through java.net.http. Queries and events are plain maps and lists, so tests
 * write what a client would send.
 */
public final class DcbClient implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper();

    /** An event as {@code GET /read} returns it. */
    public record ReadEvent(String type, List<String> tags, String data, long position) {
    }

    /** {@code POST /append}'s answer. */
    public record AppendResponse(long durationInMicroseconds, boolean appendConditionFailed) {
    }

    /** The page size of {@link #readAll}: the API's default read limit. */
    public static final int PAGE = 1000;

    private final URI base;
    private final HttpClient http;

    public DcbClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
    }

    // ---- the contract, parsed ----

    public List<ReadEvent> read(Map<String, Object> query, Map<String, Object> options) {
        HttpResponse<String> response = get(readPath(query, options));
        if (response.statusCode() != 200) throw new AssertionError("GET /read: " + response.statusCode() + " " + response.body());
        return parse(response.body(), new TypeReference<>() { });
    }

    /** Every event, page by page as the read contract says: from = the last position + 1 until a page is not full. */
    public List<ReadEvent> readAll() {
        List<ReadEvent> all = new ArrayList<>();
        long from = 0;
        while (true) {
            List<ReadEvent> page = read(null, Map.of("from", from, "limit", PAGE));
            all.addAll(page);
            if (page.size() < PAGE) return all;
            from = page.get(page.size() - 1).position() + 1;
        }
    }

    /** The last event matching {@code query}, as the suite's readLastEvent does it. */
    public ReadEvent readLast(Map<String, Object> query) {
        List<ReadEvent> events = read(query, Map.of("backwards", true, "limit", 1));
        return events.isEmpty() ? null : events.get(0);
    }

    public AppendResponse append(List<Map<String, Object>> events, Map<String, Object> condition) {
        return append(events, condition, null);
    }

    public AppendResponse append(List<Map<String, Object>> events, Map<String, Object> condition, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("events", events);
        if (condition != null) body.put("condition", condition);
        HttpResponse<String> response = post("/append", write(body), idempotencyKey);
        if (response.statusCode() != 200) throw new AssertionError("POST /append: " + response.statusCode() + " " + response.body());
        return parse(response.body(), new TypeReference<>() { });
    }

    // ---- raw ----

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery)).GET());
    }

    public HttpResponse<String> post(String path, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
        return send(request);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String readPath(Map<String, Object> query, Map<String, Object> options) {
        StringBuilder path = new StringBuilder("/read");
        char sep = '?';
        if (query != null) {
            path.append(sep).append("query=").append(URLEncoder.encode(write(query), StandardCharsets.UTF_8).replace("+", "%20"));
            sep = '&';
        }
        if (options != null) {
            path.append(sep).append("options=").append(URLEncoder.encode(write(options), StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return path.toString();
    }

    // ---- JSON shapes ----

    public static Map<String, Object> event(String type, List<String> tags, String data) {
        return Map.of("type", type, "tags", tags, "data", data);
    }

    public static Map<String, Object> item(List<String> types, List<String> tags) {
        return Map.of("types", types, "tags", tags);
    }

    public static Map<String, Object> query(List<Map<String, Object>> items) {
        return Map.of("items", items);
    }

    public static Map<String, Object> condition(Map<String, Object> query, Long after) {
        Map<String, Object> condition = new LinkedHashMap<>();
        condition.put("failIfEventsMatch", query);
        if (after != null) condition.put("after", after);
        return condition;
    }

    public static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public static <T> T parse(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not the expected JSON: " + json, e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
