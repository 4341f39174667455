package io.sluice.dcb.service;

import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.containers.ContainersStack;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.sluice.dcb.service.check.DcbClient.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults a container makes natural (issue 14), under a steady load of DCB appends: the broker's
 * container SIGKILLed ({@code docker kill}) and a new one started over the same log directory, and
 * PostgreSQL paused ({@code docker pause}) for 10 s. Writers retry an unanswered append with the same
 * Idempotency-Key. After each fault: every acknowledged append is readable exactly once, positions run
 * 1..n without a gap or reuse, and appends are answered again (the seconds it took are printed).
 */
@WithSluiceStack(WithSluiceStack.Stack.CONTAINERS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DcbContainerFaultsIT {

    private static final Logger log = LoggerFactory.getLogger(DcbContainerFaultsIT.class);
    private static final int WRITERS = 6;
    private static final Duration PAUSE = Duration.ofSeconds(10);
    /**
     * Longer than the 6 s session timeout: the decider's member is gone when the broker is back, so its
     * producer is fenced and its stores restored, which is where a transaction the kill left hanging on
     * a changelog stopped it for good (the hanging-transaction guard aborts it now).
     */
    private static final Duration BROKER_DOWN = Duration.ofSeconds(10);

    @Test
    void brokerKilledAndPostgresPausedLoseNoAcknowledgedAppend(TestStack stack, ContainersStack containers,
                                                               @TempDir Path stateDir) throws Exception {
        DcbServiceConfig config = TestServices.config(stack, stateDir);
        config = config.withApi(config.api().withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(30)));
        try (DcbService service = DcbService.start(config, line -> { });
             DcbClient client = new DcbClient(service.baseUri());
             ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean stop = new AtomicBoolean();
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                done.add(writers.submit(() -> write(client, writer, stop, acknowledged)));
            }
            double brokerSeconds;
            double pgSeconds;
            try {
                awaitMore(acknowledged, 200);
                brokerSeconds = fault("broker killed, restarted after " + BROKER_DOWN.toSeconds() + " s", acknowledged,
                        () -> containers.restartKafka(BROKER_DOWN));
                pgSeconds = fault("PostgreSQL paused " + PAUSE.toSeconds() + " s", acknowledged,
                        () -> containers.pausePostgres(PAUSE));
            } finally {
                stop.set(true); // also when a wait failed: the writers end, and the failure is reported at once
            }
            for (Future<?> f : done) f.get();

            List<ReadEvent> all = awaitReadable(client, acknowledged.size());
            Map<String, Integer> copies = new HashMap<>();
            all.forEach(e -> copies.merge(e.data(), 1, Integer::sum));
            List<String> lost = acknowledged.stream().filter(id -> !copies.containsKey(DcbClient.write(Map.of("id", id)))).toList();
            long duplicated = copies.values().stream().filter(n -> n > 1).count();
            log.info("CONTAINER FAULTS dcb: {} acknowledged appends, lost {}, duplicated {}; answered again {} s after the "
                    + "broker restart, {} s after the pause", acknowledged.size(), lost.size(), duplicated,
                    String.format("%.1f", brokerSeconds), String.format("%.1f", pgSeconds));
            assertThat(lost).as("acknowledged appends not readable").isEmpty();
            assertThat(duplicated).as("appends stored twice").isZero();
            for (int i = 0; i < all.size(); i++) assertThat(all.get(i).position()).isEqualTo(i + 1);
        }
    }

    private interface Fault {
        void inject() throws InterruptedException;
    }

    /** Injects the fault; returns the seconds from its end to the next append answered. */
    private static double fault(String what, Set<String> acknowledged, Fault inject) throws InterruptedException {
        log.info("injecting: {} after {} acknowledged appends", what, acknowledged.size());
        inject.inject();
        long ended = System.nanoTime();
        awaitMore(acknowledged, acknowledged.size() + 1);
        double seconds = (System.nanoTime() - ended) / 1e9;
        awaitMore(acknowledged, acknowledged.size() + 100);
        log.info("{}: appends answered again after {} s", what, String.format("%.1f", seconds));
        return seconds;
    }

    private static Void write(DcbClient client, int writer, AtomicBoolean stop, Set<String> acknowledged)
            throws InterruptedException {
        for (int n = 0; !stop.get(); n++) {
            String id = "w" + writer + "-" + n;
            String body = DcbClient.write(Map.of("events", List.of(event("Deposited", List.of("writer:" + writer),
                    DcbClient.write(Map.of("id", id))))));
            while (true) {
                HttpResponse<String> response;
                try {
                    response = client.post("/append", body, id);
                } catch (IllegalStateException connectionTrouble) {
                    Thread.sleep(200);
                    continue;
                }
                if (response.statusCode() == 200) {
                    acknowledged.add(id);
                    break;
                }
                assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                Thread.sleep(100);
            }
        }
        return null;
    }

    private static void awaitMore(Set<String> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as("%d acknowledged appends within 120 s", count).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Reads until the events sink has stored every acknowledged append (it may still be catching up). */
    private static List<ReadEvent> awaitReadable(DcbClient client, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<ReadEvent> all = client.readAll();
            if (all.size() >= count || System.nanoTime() > deadline) return all;
            Thread.sleep(500);
        }
    }
}
