package io.sluice.cli;

import io.sluice.common.client.ClusterCheck;
import io.sluice.ops.monitor.MonitorConfig;
import io.sluice.ops.monitor.MonitorServer;
import io.sluice.ops.monitor.RateLimitSource;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.postgres.PostgresUrls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice monitor}: serves the live monitor page ({@link MonitorServer}) until Ctrl-C. Prints the
 * page's URL on stdout.
 */
@Command(name = "monitor",
        mixinStandardHelpOptions = true,
        description = {
                "Serve a live web page of the three workloads until Ctrl-C.",
                "Each workload as its stages (topic -> group -> topic) with lag, throughput, status and time to "
                        + "drain per stage; backfill progress (DIDs done of published, ETA) from PostgreSQL; "
                        + "per-PDS-host rate-limit state from the rate limiter's metrics; records in every "
                        + "*.dlq topic. The page updates itself every --interval-ms; the same state is JSON "
                        + "at /api/state."})
final class MonitorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions kafka;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8090",
            description = "HTTP port of the page (0: any free port). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (0.0.0.0: every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Mixin
    HttpAuthOptions auth;

    @Option(names = "--schema", paramLabel = "NAME", defaultValue = "public",
            description = "Schema of backfill_dids (default: ${DEFAULT-VALUE}).")
    String schema;

    @Option(names = "--ratelimiter-metrics", paramLabel = "URL",
            description = "The rate limiter's Prometheus endpoint, e.g. http://127.0.0.1:9404/metrics, for "
                    + "per-host rate-limit state (default: not shown).")
    URI rateLimiterMetrics;

    @Option(names = "--interval-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How often the state is sampled and the page refreshed. Default: ${DEFAULT-VALUE}.")
    long intervalMs;

    @Option(names = "--stall-seconds", paramLabel = "S", defaultValue = "30",
            description = "A group with a partition whose lag has not moved for this long is STALLED. Default: ${DEFAULT-VALUE}.")
    long stallSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MonitorConfig config = config();
        ClusterCheck.verify(config.connection());
        StopSignals stop = StopSignals.install(err);
        try (MonitorServer monitor = MonitorServer.start(config)) {
            out.println("sluice monitor: " + monitor.url());
            out.println("Running. Press Ctrl-C to stop.");
            out.flush();
            stop.await();
        }
        err.println("monitor stopped");
        return 0;
    }

    MonitorConfig config() {
        // PostgreSQL is optional: without it lag comes from Kafka only and backfill progress is not shown.
        Optional<PostgresEndpoint> pg = kafka.postgresIfGiven();
        if (rateLimiterMetrics != null && (rateLimiterMetrics.getScheme() == null || !rateLimiterMetrics.getScheme().startsWith("http"))) {
            throw new ParameterException(spec.commandLine(), "--ratelimiter-metrics must be an http(s) URL, got " + rateLimiterMetrics);
        }
        if (intervalMs < 100) throw new ParameterException(spec.commandLine(), "--interval-ms must be >= 100, got " + intervalMs);
        try {
            MonitorConfig config = MonitorConfig.defaults(port, kafka.kafka(), pg)
                    .withHost(host)
                    .withTiming(Duration.ofMillis(intervalMs), Duration.ofSeconds(stallSeconds))
                    .withAuth(auth.auth(spec));
            config = config.withWorkloads(config.workloads(), config.didsTopic(), schema);
            return rateLimiterMetrics == null ? config : config.withRateLimits(RateLimitSource.fromMetrics(rateLimiterMetrics));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
