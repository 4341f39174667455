package io.sluice.backfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

    private static final PdsSimulatorConfig BASE = PdsSimulatorConfig.builder().hosts(2).dids(20).seed(3)
            .records(RecordCounts.uniform(50, 100)).rateLimit(1_000_000, 300).build();

    /** What the client saw for each of {@code n} getRepo requests, round-robin over the DIDs. */
    private static List<String> outcomes(PdsSimulator sim, int n) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String did = sim.dids().get(i % sim.dids().size());
            try {
                HttpResponse<byte[]> r = SimHttp.get(SimHttp.getRepoUrl(sim, did));
                seen.add(r.statusCode() == 200 && r.body().length != sim.expected(did).carBytes() ? "short" : Integer.toString(r.statusCode()));
            } catch (UncheckedIOException e) {
                seen.add("cut"); // the JDK client refuses a body shorter than its Content-Length
            }
        }
        return seen;
    }

    @Test
    void eachFaultKindOccursAtAboutItsConfiguredRate() throws IOException, InterruptedException {
        Faults faults = Faults.NONE.withP429(0.1).withP5xx(0.1).withTruncated(0.1).withSlow(0.05, 4 * 1024 * 1024);
        try (PdsSimulator sim = PdsSimulator.start(BASE.toBuilder().faults(faults).build())) {
            int n = 600;
            List<String> seen = outcomes(sim, n);
            long tooMany = seen.stream().filter("429"::equals).count();
            long serverErrors = seen.stream().filter(s -> s.startsWith("5")).count();
            long cut = seen.stream().filter("cut"::equals).count();
            long ok = seen.stream().filter("200"::equals).count();

            // binomial: for p = 0.1 and n = 600 the standard deviation is about 7
            assertThat(tooMany).isBetween(35L, 85L);
            assertThat(serverErrors).isBetween(35L, 85L);
            assertThat(cut).isBetween(35L, 85L);
            assertThat(seen).doesNotContain("short");
            HostStats totals = SimHttp.totalsOnceServed(sim, ok);
            assertThat(totals.injected(FaultKind.RATE_LIMIT)).isEqualTo(tooMany);
            assertThat(totals.injected(FaultKind.SERVER_ERROR)).isEqualTo(serverErrors);
            assertThat(totals.injected(FaultKind.TRUNCATED)).isEqualTo(cut);
            assertThat(totals.injected(FaultKind.SLOW)).isBetween(12L, 50L);
            assertThat(totals.served()).isEqualTo(ok);
            assertThat(totals.requests()).isEqualTo(n);
            assertThat(totals.violations()).as("injected 429s are not violations").isZero();
            assertThat(seen.stream().filter(s -> s.startsWith("5")).distinct()).isSubsetOf("500", "502", "503");
        }
    }

    @Test
    void faultsAreAFunctionOfTheSeed() throws IOException {
        Faults faults = Faults.NONE.withP429(0.2).withP5xx(0.2).withTruncated(0.2);
        List<String> first;
        List<String> second;
        try (PdsSimulator sim = PdsSimulator.start(BASE.toBuilder().faults(faults).build())) {
            first = outcomes(sim, 60);
        }
        try (PdsSimulator sim = PdsSimulator.start(BASE.toBuilder().faults(faults).build())) {
            second = outcomes(sim, 60);
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    void aTruncatedBodyEndsBeforeItsContentLength() throws IOException {
        try (PdsSimulator sim = PdsSimulator.start(BASE.toBuilder().faults(Faults.NONE.withTruncated(1.0)).build())) {
            for (String did : sim.dids().subList(0, 6)) {
                RawHttp response = RawHttp.get(sim.port(), "127.0.0.1", "/pds/" + sim.hostOf(did)
                        + "/xrpc/com.atproto.sync.getRepo?did=" + did);
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.contentLength()).isEqualTo(sim.expected(did).carBytes());
                assertThat((long) response.body().length).isPositive().isLessThan(response.contentLength());
            }
            assertThat(sim.stats().totals().injected(FaultKind.TRUNCATED)).isEqualTo(6);
            assertThat(sim.stats().totals().served()).isZero();
        }
    }

    @Test
    void aSlowBodyTakesItsTime() throws IOException {
        int rate = 200_000;
        try (PdsSimulator sim = PdsSimulator.start(BASE.toBuilder().faults(Faults.NONE.withSlow(1.0, rate)).build())) {
            String did = sim.dids().get(0);
            long start = System.nanoTime();
            HttpResponse<byte[]> r = SimHttp.get(SimHttp.getRepoUrl(sim, did));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body().length).isEqualTo((int) sim.expected(did).carBytes());
            assertThat(seconds).isGreaterThan(0.9 * r.body().length / rate);
            assertThat(sim.stats().totals().injected(FaultKind.SLOW)).isEqualTo(1);
        }
    }

    @Test
    void aStormAnswers429UntilItEndsAndIsNoViolation() throws IOException {
        Instant now = Instant.parse("2025-03-01T10:00:00Z");
        InstantSource clock = () -> now;
        PdsSimulatorConfig config = BASE.toBuilder().faults(Faults.NONE.withStorms(1.0, 5_000)).build();
        try (PdsSimulator sim = PdsSimulator.start(config, clock)) {
            Map<Integer, Integer> statuses = new java.util.TreeMap<>();
            for (int i = 0; i < 10; i++) {
                HttpResponse<byte[]> r = SimHttp.get(SimHttp.getRepoUrl(sim, sim.dids().get(0)));
                statuses.merge(r.statusCode(), 1, Integer::sum);
                assertThat(r.headers().firstValue("ratelimit-remaining")).hasValue("0");
                assertThat(r.headers().firstValue("ratelimit-reset")).hasValue(Long.toString(now.getEpochSecond() + 5));
                assertThat(r.headers().firstValue("retry-after")).hasValue("5");
            }
            assertThat(statuses).containsExactly(Map.entry(429, 10));
            HostStats host = sim.stats().host(sim.hostOf(sim.dids().get(0)));
            assertThat(host.injected(FaultKind.STORM)).isEqualTo(10);
            assertThat(host.violations()).isZero();
        }
    }

    @Test
    void latencyDelaysEveryResponse() throws IOException {
        try (PdsSimulator sim = PdsSimulator.start(BASE.toBuilder().latency(60, 20).build())) {
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                HttpResponse<byte[]> r = SimHttp.get(sim.endpointOf(sim.dids().get(i)) + "/xrpc/com.atproto.server.describeServer");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(60);
            }
        }
    }
}
