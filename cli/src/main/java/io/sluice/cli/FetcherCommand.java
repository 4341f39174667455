package io.sluice.cli;

import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.fetch.FetcherApp;
import io.sluice.backfill.fetch.FetcherConfig;
import io.sluice.backfill.fetch.FetcherStats;
import io.sluice.backfill.fetch.RetryPolicy;
import io.sluice.common.client.ClusterCheck;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.FetcherMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice fetcher}: one member of the fetcher group. Consumes backfill.fetch, downloads each
 * repository from its PDS and produces backfill.records, backfill.status, backfill.retry,
 * backfill.ratelimit and backfill.dlq, until Ctrl-C or SIGTERM; then finishes or abandons (to be
 * fetched again) the downloads in flight, commits, and exits 0. A progress line goes to stderr
 * every few seconds. Start more to fetch faster: the group shares the partitions.
 */
@Command(name = "fetcher",
        description = {
                "Fetch repositories for backfill.fetch tasks until Ctrl-C.",
                "Produces records, statuses, retries, rate-limit signals and dead letters; at-least-once."})
final class FetcherCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    MetricsOptions metricsOptions;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    InstanceOptions instance;

    @Option(names = "--group", defaultValue = FetcherConfig.DEFAULT_GROUP_ID, description = "Consumer group (default ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--max-in-flight", defaultValue = "64", description = "Downloads at once (default ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Mixin
    CarOptions car;

    @Option(names = "--max-record-bytes", defaultValue = "1000000",
            description = "Largest RepoRecord produced; a larger record is dead-lettered alone (record-too-large) and "
                    + "its DID ends PARTIAL (default ${DEFAULT-VALUE}).")
    int maxRecordBytes;

    @Option(names = "--max-record-depth", defaultValue = "" + FetcherConfig.DEFAULT_MAX_RECORD_DEPTH,
            description = "Deepest record nesting decoded, at most " + FetcherConfig.MAX_RECORD_DEPTH + "; a deeper "
                    + "record is dead-lettered alone (record-too-deep) (default ${DEFAULT-VALUE}).")
    int maxRecordDepth;

    @Option(names = "--max-json-per-car-byte", defaultValue = "" + FetcherConfig.DEFAULT_MAX_JSON_PER_CAR_BYTE,
            description = "JSON one repository may produce, as a multiple of its CAR's size; past it extraction "
                    + "stops (extraction-limit) and the DID ends PARTIAL (default ${DEFAULT-VALUE}).")
    int maxJsonPerCarByte;

    @Option(names = "--max-attempts", defaultValue = "8", description = "Attempts per repository before the DLQ (default ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Option(names = "--allow-private-host", paramLabel = "HOST",
            description = "A PDS host that may resolve to a loopback or private address (repeatable), e.g. 127.0.0.1 "
                    + "for the simulator.")
    List<String> allowPrivateHosts = List.of();

    @Option(names = "--stored-schema", paramLabel = "NAME", defaultValue = "public",
            description = "With --pg-url: the records sink's schema (its --schema), where the fetcher reads what is stored "
                    + "(default ${DEFAULT-VALUE}).")
    String storedSchema;

    @Option(names = "--refetch",
            description = "Download every repository. Without it, and given --pg-url (the records sink's database), a "
                    + "repository the sink stored completely is first asked for with getLatestCommit (one request, one "
                    + "token) and downloaded only when its revision changed.")
    boolean refetch;

    @Option(names = "--progress-seconds", defaultValue = "5", description = "Seconds between progress lines; 0 for none.")
    int progressSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        StopSignals stop = StopSignals.install(err);
        FetcherConfig config = config();
        ClusterCheck.verify(config.connection());
        try (ComponentMetrics metrics = metricsOptions.start("fetcher", err); FetcherApp app = FetcherApp.start(config)) {
            metrics.bind(new FetcherMetrics(app::stats));
            err.println("fetcher started: group " + config.groupId() + " on " + config.topics().fetch() + " at "
                    + config.connection().bootstrapServers() + "; " + (config.skipsUnchanged()
                    ? "a repository stored at the PDS's latest revision is not downloaded again (--refetch to download all)"
                    : config.refetch() ? "downloading every repository (--refetch)"
                    : "downloading every repository (no --pg-url: the stored revisions are unknown)"));
            err.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Thread.ofVirtual().start(() -> {
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stopped.countDown();
            });
            Progress progress = new Progress(app.stats());
            long nextLine = System.nanoTime() + TimeUnit.SECONDS.toNanos(progressSeconds);
            // Wake up every second: to stop, to notice a fetcher that failed, to print progress.
            while (!stopped.await(1, TimeUnit.SECONDS) && !app.awaitTermination(Duration.ZERO)) {
                if (progressSeconds > 0 && System.nanoTime() >= nextLine) {
                    err.println(progress.line());
                    err.flush();
                    nextLine = System.nanoTime() + TimeUnit.SECONDS.toNanos(progressSeconds);
                }
            }
            err.println("stopping the fetcher ...");
            err.flush();
            app.close();
            if (app.failure().isPresent()) throw app.failure().get();
            err.println(progress.line());
        }
        err.println("fetcher stopped");
        return 0;
    }

    FetcherConfig config() {
        OptionValues.inRange(spec, "--max-in-flight", maxInFlight, 1, Integer.MAX_VALUE);
        OptionValues.inRange(spec, "--max-attempts", maxAttempts, 1, Integer.MAX_VALUE);
        OptionValues.inRange(spec, "--progress-seconds", progressSeconds, 0, Integer.MAX_VALUE);
        try {
            return build();
        } catch (IllegalArgumentException e) {
            // what the config itself refuses (a limit out of its range) is still a bad option value
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private FetcherConfig build() {
        FetcherConfig.Builder b = FetcherConfig.builder(connection.kafkaAndRegistry()).groupId(group).maxInFlight(maxInFlight)
                .limits(car.limits(Limits.DEFAULT.maxBlockBytes()))
                .retry(new RetryPolicy(maxAttempts, RetryPolicy.DEFAULT.initialBackoff(), RetryPolicy.DEFAULT.maxBackoff()))
                .maxRecordBytes(maxRecordBytes).maxRecordDepth(maxRecordDepth).maxJsonPerCarByte(maxJsonPerCarByte)
                .allowedPrivateHosts(Set.copyOf(allowPrivateHosts))
                .storedDatabase(connection.postgresIfGiven().map(pg -> new FetcherConfig.StoredDatabase(pg.jdbcUrl(),
                        pg.user(), pg.password(), storedSchema)))
                .refetch(refetch);
        String clientId = instance.clientId("sluice-fetcher");
        b.consumerOverrides(Map.of(ConsumerConfig.CLIENT_ID_CONFIG, clientId))
                .producerOverrides(Map.of(ProducerConfig.CLIENT_ID_CONFIG, clientId));
        if (car.spillDir() != null) b.spillDir(car.spillDir());
        if (car.blockMemoryBytes() != null) b.blockMemoryBytes(car.blockMemoryBytes());
        return b.build();
    }

    /** Totals and rates since the previous line. */
    private static final class Progress {
        private final FetcherStats stats;
        private FetcherStats.Snapshot last;
        private long lastNanos = System.nanoTime();

        Progress(FetcherStats stats) {
            this.stats = stats;
            this.last = stats.snapshot();
        }

        String line() {
            FetcherStats.Snapshot now = stats.snapshot();
            long t = System.nanoTime();
            double seconds = Math.max(1e-3, (t - lastNanos) / 1e9);
            String line = String.format("repos done %d (%.0f/s), records %d (%.0f/s), partial %d (%d records not produced),"
                            + " unchanged %d (not downloaded), failed %d, retried %d, expired %d, 429s %d",
                    now.done(), (now.done() - last.done()) / seconds, now.records(), (now.records() - last.records()) / seconds,
                    now.partial(), now.recordsDeadLettered(), now.unchanged(), now.failed(), now.retried(), now.expired(), now.throttled());
            last = now;
            lastNanos = t;
            return line;
        }
    }
}
