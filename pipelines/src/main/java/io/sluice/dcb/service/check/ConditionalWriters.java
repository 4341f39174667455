package io.sluice.dcb.service.check;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.stack.fault.Losses;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Clients of a DCB store under faults: each writer appends under {@link ConsistencyFixture}'s random
 * conditions and records what it was told; an append left unanswered (a 5xx, a cut connection) is
 * retried under the same Idempotency-Key until answered. Every append's events carry an
 * {@code append:<id>} tag, so the log can be checked against the acknowledgements afterwards: every
 * acknowledged append present once ({@link #losses}), every condition held ({@link ConsistencyFixture#check}).
 */
public final class ConditionalWriters {

    private static final String ID_TAG = "append:";
    /** 4 minutes of 250 ms retries: longer than any fault a run injects, short of hanging for ever. */
    private static final int MAX_ATTEMPTS = 960;

    private final DcbClient client;
    private final Duration pause;
    private final Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong retried = new AtomicLong();
    private final AtomicLong failedConditions = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();

    /** Writers that append as fast as they are answered. */
    public ConditionalWriters(DcbClient client) {
        this(client, Duration.ZERO);
    }

    /** Writers that wait {@code pause} after each answered append: a steady load rather than all the store takes. */
    public ConditionalWriters(DcbClient client, Duration pause) {
        this.client = client;
        this.pause = pause;
    }

    /** One writer, until {@link #stop}: random conditional appends, each retried until answered; null on the way out. */
    public Void write(int writer) throws InterruptedException {
        Random random = new Random(writer);
        for (int n = 0; !stop.get(); n++) {
            Map<String, Object> query = ConsistencyFixture.query(random);
            long last = lastPosition(query);
            String id = "w" + writer + "-" + n;
            List<Map<String, Object>> events = new ArrayList<>();
            for (Map<String, Object> e : ConsistencyFixture.events(random, query, last)) {
                @SuppressWarnings("unchecked")
                List<String> tags = new ArrayList<>((List<String>) e.get("tags"));
                tags.add(ID_TAG + id); // names the append; a query's tags are a subset, so it matches as before
                events.add(DcbClient.event((String) e.get("type"), tags, (String) e.get("data")));
            }
            String body = DcbClient.write(Map.of("events", events, "condition", DcbClient.condition(query, last)));
            sent.incrementAndGet();
            for (int attempt = 1; ; attempt++) {
                HttpResponse<String> response = answer(() -> client.post("/append", body, id));
                if (response != null && response.statusCode() == 200) {
                    DcbClient.AppendResponse answer = DcbClient.parse(response.body(), new TypeReference<>() { });
                    if (answer.appendConditionFailed()) failedConditions.incrementAndGet();
                    else acknowledged.put(id, true);
                    break;
                }
                check(response, "append " + id, attempt);
                Thread.sleep(250);
            }
            if (pause.isPositive()) Thread.sleep(pause.toMillis());
        }
        return null;
    }

    public void stop() {
        stop.set(true);
    }

    /** Appends sent (each counted once, however often retried). */
    public long sent() {
        return sent.get();
    }

    public Set<String> acknowledged() {
        return acknowledged.keySet();
    }

    public long retried() {
        return retried.get();
    }

    public long failedConditions() {
        return failedConditions.get();
    }

    /** Of {@code log} (the whole store, read back): acknowledged appends absent, and appends there more than once. */
    public Losses losses(List<ReadEvent> log) {
        Map<String, Integer> copies = appendIds(log);
        long lost = acknowledged.keySet().stream().filter(id -> !copies.containsKey(id)).count();
        long duplicated = copies.values().stream().mapToLong(n -> n - 1).sum();
        return new Losses(lost, duplicated);
    }

    /** Whether every acknowledged append is in {@code log}. */
    public boolean allIn(List<ReadEvent> log) {
        return appendIds(log).keySet().containsAll(acknowledged.keySet());
    }

    /** The last position matching {@code query}, read again while the store answers 5xx or not at all. */
    private long lastPosition(Map<String, Object> query) throws InterruptedException {
        String path = DcbClient.readPath(query, Map.of("backwards", true, "limit", 1));
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = answer(() -> client.get(path));
            if (response != null && response.statusCode() == 200) {
                List<ReadEvent> events = DcbClient.parse(response.body(), new TypeReference<>() { });
                return events.isEmpty() ? 0 : events.get(0).position();
            }
            check(response, "read", attempt);
            Thread.sleep(250);
        }
    }

    /** A 4xx is a client's bug and fails the writer; a 5xx or no answer is retried, up to a bound. */
    private void check(HttpResponse<String> response, String what, int attempt) {
        if (response != null && response.statusCode() < 500) {
            throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.body());
        }
        if (attempt >= MAX_ATTEMPTS) throw new IllegalStateException(what + ": no answer after " + attempt + " attempts");
        retried.incrementAndGet();
    }

    /** The response, or null when the connection failed (the store restarting its clients, a cut). */
    private static HttpResponse<String> answer(Supplier<HttpResponse<String>> request) {
        try {
            return request.get();
        } catch (IllegalStateException e) { // DcbClient's wrapper of an IOException
            return null;
        }
    }

    /** Per append id (its first event), how many times it is in the log. */
    private static Map<String, Integer> appendIds(List<ReadEvent> events) {
        Map<String, Integer> copies = new HashMap<>();
        for (ReadEvent e : events) {
            Map<String, Object> data = DcbClient.parse(e.data(), new TypeReference<>() { });
            if (((Number) data.get("batchIndex")).intValue() != 0) continue;
            e.tags().stream().filter(t -> t.startsWith(ID_TAG)).forEach(t -> copies.merge(t.substring(ID_TAG.length()), 1, Integer::sum));
        }
        return copies;
    }
}
