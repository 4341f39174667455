package io.sluice.backfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Not a gate, a measurement: getRepo requests per second and MB/s on loopback, with a few
 * concurrent clients, first with repositories generated on demand (cold), then from the cache (warm).
 */
class ServingThroughputTest {

    @Test
    void measuresServingThroughput() throws Exception {
        PdsSimulatorConfig config = PdsSimulatorConfig.builder().hosts(50).dids(2_000).seed(11)
                .records(RecordCounts.uniform(10, 200)).rateLimit(1_000_000, 300).build();
        try (PdsSimulator sim = PdsSimulator.start(config)) {
            for (String did : sim.dids().subList(0, 50)) {
                SimHttp.get(SimHttp.getRepoUrl(sim, did)); // JIT warm-up
            }
            long[] cold = fetchAll(sim, sim.dids());
            long[] warm = fetchAll(sim, sim.dids());
            report("cold (generate + serve)", cold);
            report("warm (cached)", warm);
            assertThat(cold[0]).isEqualTo(2_000);
            assertThat(SimHttp.totalsOnceServed(sim, 4_050).served()).isEqualTo(4_050);
        }
    }

    /** Fetches every DID with 8 concurrent clients; returns {requests, bytes, nanos}. */
    private static long[] fetchAll(PdsSimulator sim, List<String> dids) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(8)) {
            List<Future<?>> running = new java.util.ArrayList<>();
            for (int c = 0; c < 8; c++) {
                running.add(clients.submit(() -> {
                    for (int i = next.getAndIncrement(); i < dids.size(); i = next.getAndIncrement()) {
                        HttpResponse<byte[]> r = SimHttp.get(SimHttp.getRepoUrl(sim, dids.get(i)));
                        if (r.statusCode() != 200) {
                            throw new IOException("status " + r.statusCode());
                        }
                        bytes.addAndGet(r.body().length);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        return new long[] {dids.size(), bytes.get(), System.nanoTime() - start};
    }

    private static void report(String what, long[] run) {
        double seconds = run[2] / 1e9;
        System.out.printf("simulator serving, %s: %,.0f requests/s, %.1f MB/s (%d requests, %.1f MB, %.2f s)%n",
                what, run[0] / seconds, run[1] / seconds / 1e6, run[0], run[1] / 1e6, seconds);
    }
}
