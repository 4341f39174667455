package io.sluice.cli;

import io.sluice.backfill.fetch.FetcherConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterApp;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.RateLimiterTopics;
import io.sluice.backfill.ratelimit.WindowAlignment;
import io.sluice.cli.etl.UntilStopped;
import io.sluice.common.client.ClusterCheck;
import io.sluice.common.state.StateDirectory;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.RateLimitHostMetrics;
import io.sluice.common.topics.TopicAdmin;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code sluice ratelimiter}: runs {@link RateLimiterApp} (Kafka Streams, exactly_once_v2) until
 * Ctrl-C or SIGTERM. Creates its topics first, changelogs included (see {@link RateLimiterTopics}).
 * Exits 0 on a requested stop, 1 when the Streams application dies.
 */
@Command(name = "ratelimiter",
        mixinStandardHelpOptions = true,
        description = {
                "Rate-limit fetches per PDS host: backfill.resolved + backfill.retry -> backfill.fetch, until Ctrl-C.",
                "A Kafka Streams application (exactly_once_v2) that queues each host's work and releases it at "
                        + "the host's allowed rate; backfill.ratelimit signals from fetchers (429s, ratelimit-* "
                        + "headers) pause or slow a host. Its state survives restarts, so a restart releases no "
                        + "burst. Start more instances with the same --application-id to share the hosts."},
        footerHeading = "%nEnvironment:%n",
        footer = {"  SLUICE_KAFKA_BOOTSTRAP, SLUICE_REGISTRY_URL  defaults of --bootstrap, --registry"})
final class RateLimiterCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions kafka;

    @Mixin
    MetricsOptions metricsOptions;

    @Mixin
    InstanceOptions instance;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = RateLimiterConfig.DEFAULT_APPLICATION_ID,
            description = "Streams application id: consumer group and changelog prefix (default: ${DEFAULT-VALUE}).")
    String applicationId;

    @Option(names = "--default-policy", paramLabel = "LIMIT/WINDOW", defaultValue = "3000/300s",
            description = "Limit of every host without an override, e.g. 3000/300s, 20/s, 3000;w=300 "
                    + "(default: ${DEFAULT-VALUE}, what a Bluesky PDS allows).")
    String defaultPolicy;

    @Option(names = "--host-policy", paramLabel = "HOST=LIMIT/WINDOW",
            description = "Limit of one PDS host, e.g. --host-policy pds.example.com=10/s. Repeatable.")
    Map<String, String> hostPolicies = new LinkedHashMap<>();

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Kafka Streams state.dir of this instance, one instance at a time; keep it across restarts "
                    + "to avoid restoring from the changelogs. Default: a directory of this instance's own, "
                    + "${sys:java.io.tmpdir}/sluice-streams/<application id>[.N] (N when another instance on this host "
                    + "holds the first).")
    Path stateDir;

    @Option(names = "--partitions", paramLabel = "P", defaultValue = "" + TopicAdmin.DEFAULT_PARTITIONS,
            description = "Partitions of the backfill topics when this command creates them (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--window-alignment", paramLabel = "sliding|epoch", defaultValue = "sliding",
            description = "How the PDSes' fixed windows lie. sliding (default): assume nothing; safe for any PDS, "
                    + "at limit/(window+margin) with short task deadlines. epoch: windows start at multiples of the "
                    + "window since the Unix epoch on a clock in step with ours (the PDS simulator); fills the whole "
                    + "allowance, but may exceed the limit of a PDS whose windows start elsewhere.")
    String windowAlignment;

    @Option(names = "--fetch-group", paramLabel = "GROUP", defaultValue = FetcherConfig.DEFAULT_GROUP_ID,
            description = "Consumer group of the fetchers (their --group; default: ${DEFAULT-VALUE}). Tasks go only to "
                    + "partitions of the fetch topic a member owns, and none are released while no member owns one: a task "
                    + "nobody takes would expire unfetched. 'none': any partition, always.")
    String fetchGroup;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        RateLimiterConfig config = config();
        ClusterCheck.verify(config.connection());
        RateLimiterTopics.ensure(config, partitions, TopicAdmin.DEFAULT_TIMEOUT);
        StopSignals stop = StopSignals.install(err);
        try (StateDirectory state = stateDir == null
                ? StateDirectory.claimDefault(StateDirectory.defaultBase(), config.applicationId())
                : StateDirectory.claim(stateDir, "--state-dir")) {
            RateLimiterApp app = new RateLimiterApp(config.withStreamsOverride(StreamsConfig.STATE_DIR_CONFIG, state.path().toString()));
            try (ComponentMetrics metrics = metricsOptions.start("ratelimiter", err)) {
                metrics.bind(app.metrics());
                RateLimitHostMetrics hosts = metrics.bind(new RateLimitHostMetrics(app::hosts));
                metrics.beforeScrape(hosts::refresh);
                app.start();
                err.printf("ratelimiter %s running: %s -> %s, default %s, %d host overrides, state in %s. Press Ctrl-C to stop.%n",
                        config.applicationId(), config.topics().resolved(), config.topics().fetch(), config.defaultPolicy(),
                        config.hostPolicies().size(), state.path());
                err.flush();
                UntilStopped.await(stop, app, () -> UntilStopped.streamsFailure(app.state()), err);
            }
        }
        err.println("ratelimiter stopped");
        return 0;
    }

    RateLimiterConfig config() {
        try {
            if (partitions < 1) throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
            RateLimiterConfig.Builder b = RateLimiterConfig.builder(kafka.kafkaAndRegistry())
                    .applicationId(applicationId)
                    // Streams names its clients after it: sluice-ratelimiter-ID-StreamThread-1-consumer, ...
                    .streamsOverride(StreamsConfig.CLIENT_ID_CONFIG, instance.clientId("sluice-ratelimiter"))
                    .defaultPolicy(OptionValues.parse(spec, "--default-policy", () -> RateLimitPolicy.parse(defaultPolicy)));
            // PDS hosts arrive lower-cased in backfill.resolved
            hostPolicies.forEach((host, policy) -> b.hostPolicy(host.strip().toLowerCase(Locale.ROOT),
                    OptionValues.parse(spec, "--host-policy", () -> RateLimitPolicy.parse(policy))));
            b.timing(RateLimiterConfig.Timing.defaults().withAlignment(
                    OptionValues.parse(spec, "--window-alignment", () -> WindowAlignment.parse(windowAlignment))));
            b.fetchGroup("none".equals(fetchGroup) ? Optional.empty() : Optional.of(fetchGroup));
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}
