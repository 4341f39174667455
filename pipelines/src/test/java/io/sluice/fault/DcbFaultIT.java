package io.sluice.fault;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.dcb.service.testing.ConsistencyFixture;
import io.sluice.dcb.service.testing.DcbClient;
import io.sluice.dcb.service.testing.DcbClient.ReadEvent;
import io.sluice.fault.testing.DcbComponent;
import io.sluice.fault.testing.Recovery;
import io.sluice.stack.FreePorts;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.stack.process.ChildJvm;
import io.sluice.stack.fault.FaultRow;
import io.sluice.testing.fault.FaultTable;
import io.sluice.stack.fault.PostgresProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DCB store ({@code dcb-api}: decider, events sink and HTTP API) in a JVM of its own under a fault,
 * on a broker in a process of its own and PostgreSQL behind a proxy the test controls, while several
 * clients append under conditions ({@link ConsistencyFixture}'s random queries), each recording what it
 * was told; an append left unanswered (a 5xx, a cut connection) is retried under the same
 * Idempotency-Key until answered. Afterwards every acknowledged append is in PostgreSQL once, the
 * positions are 1..N, and every append's recorded condition held. One {@link FaultTable} row per fault.
 */
@Tag("fault")
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DcbFaultIT extends FaultScenarios {

    private static final Logger log = LoggerFactory.getLogger(DcbFaultIT.class);
    private static final int WRITERS = 8;
    private static final int BEFORE = 80;  // acknowledged appends before the fault
    private static final int AFTER = 80;   // and after it
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final String ID_TAG = "append:";

    @Override
    void run(TestStack stack, String faultName, Fault fault) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        int port = FreePorts.next();
        DcbServiceConfig config = DcbComponent.config(broker.bootstrapServers(), stack.registryUrl(), stack.postgres(), port,
                suffix, dir.resolve("state"));
        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        AtomicLong failedConditions = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        try (PostgresProxy proxy = PostgresProxy.start(stack.postgres());
             ChildJvm service = DcbComponent.start(broker.bootstrapServers(), stack.registryUrl(), proxy.endpoint(), port,
                     suffix, dir.resolve("state"), logs(faultName).resolve("dcb-api.log"));
             DcbClient client = new DcbClient(URI.create("http://127.0.0.1:" + port + "/"));
             ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            String schema = config.api().schema();
            Runnable healthy = service::superviseRestart;
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> write(client, writer, stop, sent, acknowledged, retried, failedConditions)));
            }
            await(() -> acknowledged.size() >= BEFORE, healthy, done, "appends before the fault");
            long sentAtFault = sent.get();
            // sent and not refused by its condition, not yet in PostgreSQL
            long pending = Math.max(0, sentAtFault - failedConditions.get() - appends(stack, schema));
            log.info("{}: {} appends acknowledged, {} sent", faultName, acknowledged.size(), sent.get());
            long injected = fault.inject(proxy);
            long faultEnd = System.nanoTime();
            Duration recovery = Recovery.await(() -> events(stack, schema), events(stack, schema), Long.MAX_VALUE, faultEnd,
                    healthy, WAIT);
            int atFault = acknowledged.size();
            await(() -> acknowledged.size() >= atFault + AFTER, healthy, done, "appends after the fault");
            stop.set(true);
            for (Future<?> f : done) f.get();
            log.info("{}: {} appends acknowledged, {} failed conditions, {} retried", faultName, acknowledged.size(),
                    failedConditions, retried);

            // Acknowledged means decided and in dcb.events; PostgreSQL follows within the sink's flush.
            Set<String> ids = acknowledged.keySet();
            await(() -> appendIds(client.readAll()).keySet().containsAll(ids), healthy, List.of(), "acknowledged appends in PostgreSQL");
            List<ReadEvent> all = client.readAll();
            Map<String, Integer> copies = appendIds(all);
            long lost = ids.stream().filter(id -> !copies.containsKey(id)).count();
            long duplicated = copies.values().stream().mapToLong(n -> n - 1).sum();
            FaultTable.record(new FaultRow("dcb", faultName, sentAtFault, pending, injected, lost, duplicated, recovery,
                    service.restarts()));
            assertThat(lost).as("acknowledged appends missing").isZero();
            assertThat(duplicated).as("appends applied more than once").isZero();
            assertThat(ConsistencyFixture.check(client, all)).as("positions 1..N and every condition held").isEmpty();
        }
    }

    /** One writer: random conditional appends, each retried under its Idempotency-Key until answered. */
    private static Void write(DcbClient client, int writer, AtomicBoolean stop, AtomicLong sent, Map<String, Boolean> acknowledged,
                              AtomicLong retried, AtomicLong failedConditions) throws InterruptedException {
        Random random = new Random(writer);
        for (int n = 0; !stop.get(); n++) {
            Map<String, Object> query = ConsistencyFixture.query(random);
            long last = lastPosition(client, query, retried);
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
                if (response != null && response.statusCode() < 500) {
                    throw new AssertionError("append " + id + ": " + response.statusCode() + " " + response.body());
                }
                assertThat(attempt).as("attempts of " + id).isLessThan(240);
                retried.incrementAndGet();
                Thread.sleep(250);
            }
        }
        return null;
    }

    /** The last position matching {@code query}, read again while the store answers 5xx or not at all. */
    private static long lastPosition(DcbClient client, Map<String, Object> query, AtomicLong retried) throws InterruptedException {
        String path = DcbClient.readPath(query, Map.of("backwards", true, "limit", 1));
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = answer(() -> client.get(path));
            if (response != null && response.statusCode() == 200) {
                List<ReadEvent> events = DcbClient.parse(response.body(), new TypeReference<>() { });
                return events.isEmpty() ? 0 : events.get(0).position();
            }
            if (response != null && response.statusCode() < 500) {
                throw new AssertionError("read: " + response.statusCode() + " " + response.body());
            }
            assertThat(attempt).as("read attempts").isLessThan(240);
            retried.incrementAndGet();
            Thread.sleep(250);
        }
    }

    /** The response, or null when the connection failed (the store restarting its clients, a cut). */
    private static HttpResponse<String> answer(java.util.function.Supplier<HttpResponse<String>> request) {
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

    private static long events(TestStack stack, String schema) throws Exception {
        return count(stack, "SELECT count(*) FROM " + schema + ".events");
    }

    /** Appends in PostgreSQL: their first events. */
    private static long appends(TestStack stack, String schema) throws Exception {
        return count(stack, "SELECT count(*) FROM " + schema + ".events WHERE (data::jsonb ->> 'batchIndex')::int = 0");
    }

    private static long count(TestStack stack, String sql) throws Exception {
        try (Connection c = stack.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, Runnable healthy, List<Future<?>> writers, String what) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.holds()) {
            healthy.run();
            for (Future<?> w : writers) if (w.isDone()) w.get(); // a writer's failure, now
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within " + WAIT);
            Thread.sleep(200);
        }
    }
}
