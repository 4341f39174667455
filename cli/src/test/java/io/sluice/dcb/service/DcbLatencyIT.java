package io.sluice.dcb.service;

import io.sluice.dcb.service.testing.DcbClient;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.testing.SluiceIT;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.sluice.dcb.service.testing.DcbClient.condition;
import static io.sluice.dcb.service.testing.DcbClient.event;
import static io.sluice.dcb.service.testing.DcbClient.item;
import static io.sluice.dcb.service.testing.DcbClient.query;

/**
 * A rough measure, not a benchmark: conditional appends per second and their latency over HTTP at
 * a few client counts, on the embedded stack (shared with whatever else runs on the machine, so
 * compare runs, not numbers). Opt-in: {@code -Dsluice.dcb.latency=true};
 * {@code -Dsluice.dcb.latency.clients=1,16,64}, {@code -Dsluice.dcb.latency.seconds=5}.
 */
@SluiceIT
@EnabledIfSystemProperty(named = "sluice.dcb.latency", matches = "true")
class DcbLatencyIT {

    private static final Logger log = LoggerFactory.getLogger(DcbLatencyIT.class);

    @Test
    void measuresConditionalAppends(TestStack stack, @TempDir Path stateDir) throws Exception {
        int seconds = Integer.getInteger("sluice.dcb.latency.seconds", 5);
        int[] clientCounts = Arrays.stream(System.getProperty("sluice.dcb.latency.clients", "1,16,64").split(","))
                .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
        try (DcbService service = DcbService.start(TestServices.config(stack, stateDir), line -> { });
             DcbClient client = new DcbClient(service.baseUri())) {
            run(client, 4, 2); // warm-up: schemas, connections, JIT
            for (int clients : clientCounts) {
                long[] latencies = run(client, clients, seconds);
                Arrays.sort(latencies);
                String line = String.format("dcb latency: clients=%d appends/s=%.0f p50=%.1fms p99=%.1fms max=%.1fms (load %s)",
                        clients, latencies.length / (double) seconds, latencies[latencies.length / 2] / 1e6,
                        latencies[(int) (latencies.length * 0.99)] / 1e6, latencies[latencies.length - 1] / 1e6,
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                log.info(line);
                System.out.println(line);
            }
        }
    }

    private static long[] run(DcbClient client, int clients, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<List<Long>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int id = c;
                results.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    for (int n = 0; System.nanoTime() < end; n++) {
                        String tag = "user:" + id + "-" + n;
                        long started = System.nanoTime();
                        client.append(List.of(event("UserRegistered", List.of(tag), "{}")),
                                condition(query(List.of(item(List.of("UserRegistered"), List.of(tag)))), 0L));
                        latencies.add(System.nanoTime() - started);
                    }
                    return latencies;
                }));
            }
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : results) all.addAll(f.get());
        return all.stream().mapToLong(Long::longValue).toArray();
    }
}
