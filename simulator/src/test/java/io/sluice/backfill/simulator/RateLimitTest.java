package io.sluice.backfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-host limit with a clock the test moves, so "one window" is exact. */
class RateLimitTest {

    private final AtomicLong now = new AtomicLong(Instant.parse("2025-03-01T10:00:30Z").toEpochMilli());
    private final InstantSource clock = () -> Instant.ofEpochMilli(now.get());

    @Test
    void limitPlusKRequestsInOneWindowGiveExactlyK429s() throws IOException {
        PdsSimulatorConfig config = PdsSimulatorConfig.builder().hosts(2).dids(4).records(RecordCounts.exactly(5))
                .rateLimit(20, 60).build();
        try (PdsSimulator sim = PdsSimulator.start(config, clock)) {
            String did = sim.dids().get(0);
            long windowEnd = Instant.parse("2025-03-01T10:01:00Z").getEpochSecond();
            List<HttpResponse<byte[]>> responses = new ArrayList<>();
            for (int i = 0; i < 27; i++) {
                responses.add(SimHttp.get(SimHttp.getRepoUrl(sim, did)));
            }
            for (int i = 0; i < 27; i++) {
                HttpResponse<byte[]> r = responses.get(i);
                assertThat(r.statusCode()).as("request %d", i).isEqualTo(i < 20 ? 200 : 429);
                assertThat(r.headers().firstValue("ratelimit-limit")).hasValue("20");
                assertThat(r.headers().firstValue("ratelimit-remaining")).hasValue(Integer.toString(Math.max(0, 19 - i)));
                assertThat(r.headers().firstValue("ratelimit-reset")).hasValue(Long.toString(windowEnd));
                assertThat(r.headers().firstValue("ratelimit-policy")).hasValue("20;w=60");
            }
            assertThat(responses.get(26).headers().firstValue("retry-after")).hasValue("30");
            // the other host has its own budget
            assertThat(SimHttp.get(SimHttp.getRepoUrl(sim, sim.dids().get(1))).statusCode()).isEqualTo(200);

            HostStats host = sim.stats().host(sim.hostOf(did));
            assertThat(host.requests()).isEqualTo(27);
            assertThat(host.served()).isEqualTo(20);
            assertThat(host.violations()).isEqualTo(7);
            assertThat(host.maxAdmittedInWindow()).isEqualTo(20);
            assertThat(host.maxArrivalsInWindow()).isEqualTo(27);
            assertThat(host.injected().values()).allMatch(n -> n == 0);
            assertThat(host.windows()).containsExactly(new WindowCount(windowEnd - 60, 27, 20, 7));
            assertThat(sim.stats().totals().violations()).isEqualTo(7);

            now.addAndGet(30_000); // the next window: a fresh budget
            HttpResponse<byte[]> next = SimHttp.get(SimHttp.getRepoUrl(sim, did));
            assertThat(next.statusCode()).isEqualTo(200);
            assertThat(next.headers().firstValue("ratelimit-remaining")).hasValue("19");
            assertThat(sim.stats().host(sim.hostOf(did)).windows()).extracting(WindowCount::arrivals).containsExactly(27, 1);
        }
    }

    @Test
    void oneRequestPerSecondWindowsAreIndependent() throws IOException {
        PdsSimulatorConfig config = PdsSimulatorConfig.builder().hosts(1).dids(1).records(RecordCounts.exactly(1))
                .rateLimit(3, 1).build();
        try (PdsSimulator sim = PdsSimulator.start(config, clock)) {
            String url = SimHttp.getRepoUrl(sim, sim.dids().get(0));
            int ok = 0;
            for (int second = 0; second < 4; second++) {
                for (int i = 0; i < 5; i++) {
                    ok += SimHttp.get(url).statusCode() == 200 ? 1 : 0;
                }
                now.addAndGet(1000);
            }
            HostStats stats = sim.stats().totals();
            assertThat(ok).isEqualTo(12);
            assertThat(stats.violations()).isEqualTo(8);
            assertThat(stats.maxAdmittedInWindow()).isEqualTo(3);
            assertThat(sim.stats().hosts().get(0).windows()).hasSize(4).allMatch(w -> w.admitted() == 3 && w.violations() == 2);
        }
    }
}
