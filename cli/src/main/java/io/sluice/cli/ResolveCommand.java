package io.sluice.cli;

import io.sluice.backfill.net.CidrBlock;
import io.sluice.backfill.resolve.Resolver;
import io.sluice.backfill.resolve.ResolverConfig;
import io.sluice.backfill.resolve.ResolverCounters;
import io.sluice.common.client.ClusterCheck;
import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.ResolverMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code sluice resolver}: one member of the resolver group ({@link Resolver}), until Ctrl-C.
 * Progress and errors go to stderr.
 */
@Command(name = "resolver",
        mixinStandardHelpOptions = true,
        description = {
                "Resolve DIDs to their PDS: backfill.dids -> backfill.resolved, backfill.status, backfill.dlq.",
                "did:plc through the PLC directory, did:web through https://HOST/.well-known/did.json; the "
                        + "#atproto_pds service endpoint of the DID document is the PDS. Hosts that resolve to "
                        + "loopback, private or link-local addresses are refused (sent to backfill.dlq) unless "
                        + "--allow-network lists them. Runs until Ctrl-C; start more instances with the same "
                        + "--group to share the work."})
final class ResolveCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions kafka;

    @Mixin
    MetricsOptions metricsOptions;

    @Mixin
    InstanceOptions instance;

    @Option(names = "--plc-url", paramLabel = "URL", defaultValue = "https://plc.directory",
            description = "PLC directory base URL (default: ${DEFAULT-VALUE}).")
    URI plcUrl;

    @Option(names = "--group", paramLabel = "ID", defaultValue = ResolverConfig.DEFAULT_GROUP_ID,
            description = "Consumer group (default: ${DEFAULT-VALUE}).")
    String group;

    @Option(names = "--allow-network", paramLabel = "CIDR", split = ",",
            description = "Network whose addresses are allowed although internal, e.g. 127.0.0.0/8,::1/128 for "
                    + "the PDS simulator. Repeatable. Default: none.")
    List<String> allowNetworks = new ArrayList<>();

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "64",
            description = "DID lookups running at once (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--max-attempts", paramLabel = "N", defaultValue = "5",
            description = "Attempts per DID on 5xx, 429, timeouts, before it goes to backfill.dlq as "
                    + "retries-exhausted (default: ${DEFAULT-VALUE}).")
    int maxAttempts;

    @Override
    public Integer call() throws Exception {
        ResolverConfig config = config();
        ClusterCheck.verify(config.connection());
        try (ComponentMetrics metrics = metricsOptions.start("resolver", spec.commandLine().getErr())) {
            Resolver resolver = Resolver.create(config);
            metrics.bind(new ResolverMetrics(resolver));
            return UntilStopped.run("resolver", resolver::run, resolver, () -> describe(resolver.counters()),
                    spec.commandLine().getErr(), Duration.ofSeconds(10));
        }
    }

    ResolverConfig config() {
        try {
            List<CidrBlock> allowed = allowNetworks.stream().map(CidrBlock::parse).toList();
            return ResolverConfig.builder(kafka.kafkaAndRegistry())
                    .groupId(group).plcDirectory(plcUrl).allowedNetworks(allowed)
                    .maxInFlight(maxInFlight).maxAttempts(maxAttempts)
                    .clientId(instance.clientId(ResolverConfig.DEFAULT_CLIENT_ID)).build();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    static String describe(ResolverCounters c) {
        return String.format(Locale.ROOT, "%,d consumed, %,d resolved, %,d to the DLQ, %,d cache hits, %,d retries",
                c.consumed(), c.resolved(), c.failed(), c.cacheHits(), c.retries());
    }
}
