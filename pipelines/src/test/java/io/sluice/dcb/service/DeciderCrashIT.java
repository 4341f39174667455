package io.sluice.dcb.service;

import io.sluice.dcb.api.DcbApi;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.AppendResponse;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.DeciderProcess;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.dcb.EventsSink;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.sluice.dcb.service.check.DcbClient.condition;
import static io.sluice.dcb.service.check.DcbClient.event;
import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills the decider (SIGKILL, in a JVM of its own) while 16 clients append under conditions, and
 * starts it again on the same state directory. Clients whose append got no answer (503) retry it
 * under the same Idempotency-Key until it is answered. Afterwards: every acknowledged append is in
 * the log, once; the log's positions (in Kafka and in PostgreSQL) are 1..N without a gap or a
 * repeat; and no appended event has an event matching its condition between the position its
 * writer read and its own.
 */
@WithSluiceStack
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DeciderCrashIT {

    private static final Logger log = LoggerFactory.getLogger(DeciderCrashIT.class);
    private static final int WRITERS = 16;
    private static final int ACCOUNTS = 12;
    private static final Duration START = Duration.ofSeconds(90);

    @Test
    void aKilledDeciderLosesNoAcknowledgedAppendReusesNoPositionAndBreaksNoCondition(TestStack stack, @TempDir Path stateDir,
                                                                                     @TempDir Path logs) throws Exception {
        DcbServiceConfig config = TestServices.config(stack, stateDir);
        config = config.withApi(config.api().withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        DcbService.prepare(config, line -> { });
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger retried = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        DeciderProcess decider = DeciderProcess.start(config.deciderConfig(), logs.resolve("decider-1.log"), START);
        try (EventsSink sink = DcbService.startSink(config); DcbApi api = DcbApi.start(config.api());
             DcbClient client = new DcbClient(api.baseUri());
             ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> write(client, writer, stop, acknowledged, failed, retried)));
            }
            awaitAcknowledged(acknowledged, 150);
            log.info("killing the decider after {} acknowledged appends", acknowledged.size());
            decider.kill();
            Thread.sleep(1_000);
            decider = DeciderProcess.start(config.deciderConfig(), logs.resolve("decider-2.log"), START);
            int atRestart = acknowledged.size();
            awaitAcknowledged(acknowledged, atRestart + 150);
            stop.set(true);
            for (Future<?> f : done) f.get();
            log.info("{} appends acknowledged ({} after the restart), {} failed conditions, {} retried after a 503",
                    acknowledged.size(), acknowledged.size() - atRestart, failed, retried);

            List<ReadEvent> events = client.readAll();
            List<Long> positions = events.stream().map(ReadEvent::position).toList();
            assertThat(positions).as("positions in PostgreSQL").isEqualTo(range(events.size()));
            assertThat(committedLog(stack, config)).as("positions in dcb.events").isEqualTo(range(events.size()));

            Map<String, Integer> copies = new HashMap<>();
            for (ReadEvent e : events) copies.merge(id(e), 1, Integer::sum);
            assertThat(copies.values()).as("each append applied at most once").allMatch(n -> n == 1);
            assertThat(copies.keySet()).as("every acknowledged append is in the log").containsAll(acknowledged.keySet());
            assertThat(retried.get() + failed.get()).isPositive();
            assertConditionsHeld(events);
        } finally {
            decider.close();
        }
    }

    private static Void write(DcbClient client, int writer, AtomicBoolean stop, Map<String, Long> acknowledged,
                              AtomicInteger failed, AtomicInteger retried) throws InterruptedException {
        Random random = new Random(writer);
        for (int n = 0; !stop.get(); n++) {
            String account = "account:" + random.nextInt(ACCOUNTS);
            Map<String, Object> accountQuery = query(List.of(item(List.of(), List.of(account))));
            ReadEvent last = client.readLast(accountQuery);
            long after = last == null ? 0 : last.position();
            String id = "w" + writer + "-" + n;
            String body = DcbClient.write(Map.of("events", List.of(event("Deposited", List.of(account),
                    DcbClient.write(Map.of("id", id, "after", after)))), "condition", condition(accountQuery, after)));
            // The same key on every attempt: a retry after a 503 must not append twice.
            for (int attempt = 1; ; attempt++) {
                HttpResponse<String> response = client.post("/append", body, id);
                if (response.statusCode() == 200) {
                    AppendResponse answer = DcbClient.parse(response.body(), new TypeReference<>() { });
                    if (answer.appendConditionFailed()) failed.incrementAndGet();
                    else acknowledged.put(id, after);
                    break;
                }
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                assertThat(attempt).as("attempts of " + id).isLessThan(40);
                retried.incrementAndGet();
                Thread.sleep(250);
            }
        }
        return null;
    }

    private static void assertConditionsHeld(List<ReadEvent> events) {
        Map<String, Long> lastByAccount = new HashMap<>();
        for (ReadEvent e : events) {
            String account = e.tags().get(0);
            Map<String, Object> data = DcbClient.parse(e.data(), new TypeReference<>() { });
            long after = ((Number) data.get("after")).longValue();
            assertThat(lastByAccount.getOrDefault(account, 0L)).as("the last %s event before %d", account, e.position())
                    .isEqualTo(after);
            lastByAccount.put(account, e.position());
        }
    }

    private static void awaitAcknowledged(Map<String, Long> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as("%d appends acknowledged in time", count).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    /** The positions in dcb.events as a read_committed consumer sees them, in log order. */
    private static List<Long> committedLog(TestStack stack, DcbServiceConfig config) {
        Deserializer<Event> values = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), false)
                .dcbEvents().valueSerde().deserializer();
        TopicPartition tp = new TopicPartition(config.api().eventsTopic(), 0);
        List<Long> positions = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    positions.add(values.deserialize(r.topic(), r.headers(), r.value()).getPosition());
                }
            }
        }
        return positions;
    }

    private static String id(ReadEvent e) {
        Map<String, Object> data = DcbClient.parse(e.data(), new TypeReference<>() { });
        return (String) data.get("id");
    }

    private static List<Long> range(int n) {
        List<Long> positions = new ArrayList<>(n);
        for (long p = 1; p <= n; p++) positions.add(p);
        return positions;
    }
}
