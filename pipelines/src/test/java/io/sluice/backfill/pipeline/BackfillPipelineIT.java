package io.sluice.backfill.pipeline;

import io.sluice.backfill.pipeline.testing.BackfillRun;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.simulator.PdsSimulator;
import io.sluice.backfill.simulator.PdsSimulatorConfig;
import io.sluice.backfill.simulator.RecordChecksum;
import io.sluice.backfill.simulator.RecordCounts;
import io.sluice.backfill.fetch.FetcherStats;
import io.sluice.backfill.resolve.ResolverCounters;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.MetricsServer;
import io.sluice.ops.metrics.PrometheusText;
import io.sluice.ops.metrics.PrometheusText.Sample;
import io.sluice.testing.ForcedGc;
import io.sluice.sinks.core.SinkCounters;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The backfill end to end through the real broker, registry and PostgreSQL: the PDS simulator (2,000
 * DIDs over 20 hosts, small repositories) → publish-dids → resolver → rate limiter → fetcher → records
 * sink, all in this JVM. Every DID must end DONE in backfill_dids, and repo_records must hold exactly
 * the simulator's records (count and {@link RecordChecksum}), with no request over a host's limit (the
 * limiter at 5/s per host, the simulator refusing more than 15 in any second); and after a forced GC,
 * every stage's counters on /metrics must equal the stage's own counts. Killing the fetcher and
 * the sink mid-run is {@link BackfillKillRestartIT}.
 */
@WithSluiceStack
class BackfillPipelineIT {

    private static final Logger log = LoggerFactory.getLogger(BackfillPipelineIT.class);
    private static final int DIDS = 2_000;
    private static final int HOSTS = 20;
    private static final int PARTITIONS = 3;
    /** Requests per second per PDS host the rate limiter allows. */
    static final int HOST_LIMIT = 5;
    private static final Duration WAIT = Duration.ofMinutes(4);

    @TempDir
    Path stateDir;

    @Test
    void everyDidEndsDoneWithExactlyTheSimulatorsRecords(TestStack stack) throws Exception {
        try (PdsSimulator simulator = PdsSimulator.start(simulatorConfig(HOSTS, DIDS, 21))) {
            BackfillRun run = new BackfillRun(stack, simulator, "bfe2e-a", RateLimitPolicy.parse(HOST_LIMIT + "/s"), stateDir,
                    PARTITIONS);
            long start = System.nanoTime();
            try (ComponentMetrics metrics = new ComponentMetrics("backfill-it");
                 MetricsServer server = MetricsServer.start("127.0.0.1", 0, metrics);
                 HttpClient http = HttpClient.newHttpClient();
                 BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(),
                         stack.postgres(), run.config(), metrics)) {
                // a counter Micrometer held only weakly would be gone now and read 0 to the end
                ForcedGc.collect();
                run.publish();
                run.awaitDone(DIDS, true, WAIT, pipeline::assertHealthy, pipeline::progress);
                ForcedGc.collect();
                assertCountersMatchTheStages(http, server, pipeline);
            }
            log.info("backfill of {} DIDs took {} s", DIDS, String.format("%.1f", (System.nanoTime() - start) / 1e9));
            run.assertTables(DIDS);
        }
    }

    /** Every stage's counters on /metrics after a GC, against the stage's own counts. */
    private static void assertCountersMatchTheStages(HttpClient http, MetricsServer server, BackfillPipeline pipeline) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<Sample> samples = scrape(http, server);
            ResolverCounters resolver = pipeline.resolverCounters();
            assertThat(resolver.resolved()).isEqualTo(DIDS);
            assertThat(sum(samples, "sluice_resolver_records_in_total")).isEqualTo(resolver.consumed());
            assertThat(sum(samples, "sluice_resolver_records_out_total")).isEqualTo(resolver.resolved());
            FetcherStats.Snapshot fetcher = pipeline.fetcherStats();
            assertThat(fetcher.done()).isEqualTo(DIDS);
            assertThat(sum(samples, "sluice_fetcher_repos_done_total")).isEqualTo(fetcher.done());
            assertThat(sum(samples, "sluice_fetcher_records_out_total")).isEqualTo(fetcher.records()).isPositive();
            SinkCounters sink = pipeline.sinkCounters();
            assertThat(sum(samples, "sluice_sink_records_written_total")).isEqualTo(sink.recordsWritten()).isPositive();
            // the limiter holds state only for hosts with work left, so at the end both may be 0
            assertThat(sum(samples, "sluice_ratelimit_hosts")).isEqualTo(pipeline.rateLimitHosts().size());
            // the limiter (the one Streams application here): it processed every resolved DID at least once
            assertThat(sum(samples, "kafka_stream_thread_process_total")).isGreaterThanOrEqualTo(DIDS);
        });
    }

    private static List<Sample> scrape(HttpClient http, MetricsServer server) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(server.url()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    private static long sum(List<Sample> samples, String name) {
        return (long) PrometheusText.find(samples, name, Map.of("component", "backfill-it")).stream()
                .mapToDouble(Sample::value).sum();
    }

    /**
     * The limiter releases {@link #HOST_LIMIT} per second per host, so 100 repositories per host take
     * about 20 s; the simulator admits three times that in each fixed second, which leaves room for the
     * jitter of a loaded machine but not for a burst the limiter let through.
     */
    static PdsSimulatorConfig simulatorConfig(int hosts, int dids, long seed) {
        return PdsSimulatorConfig.builder().hosts(hosts).dids(dids).seed(seed).records(RecordCounts.uniform(5, 30))
                .rateLimit(3 * HOST_LIMIT, 1).build();
    }
}
