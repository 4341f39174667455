package io.sluice.fault.testing;

import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.pipeline.testing.StageProcess;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.process.ChildJvm;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The backfill's components each in a JVM of their own, configured as {@link BackfillPipeline} configures
 * them: the resolver with the rate limiter ({@code UPSTREAM}), the fetcher and the records sink (run by
 * {@link StageProcess}'s main).
 */
public final class BackfillComponent {

    public enum Kind { UPSTREAM, FETCHER, SINK }

    private static final Duration START = Duration.ofSeconds(90);

    private BackfillComponent() {
    }

    public static ChildJvm start(Kind kind, String bootstrap, String registry, PostgresEndpoint postgres,
                                 BackfillPipelineConfig config, Path log) throws IOException, InterruptedException {
        List<String> args = List.of(kind.name(), bootstrap, registry, postgres.jdbcUrl(), postgres.user(), postgres.password(),
                config.plcUrl().toString(), Boolean.toString(config.allowLoopback()), config.defaultHostPolicy().toString(),
                config.idPrefix(), config.topicPrefix(), config.dbSchema(), config.stateDir().toString(),
                Integer.toString(config.partitions()));
        Class<?> main = kind == Kind.UPSTREAM ? BackfillComponent.class : StageProcess.class;
        return ChildJvm.start(kind.name().toLowerCase(java.util.Locale.ROOT), main, args, ChildJvm.SMALL, log, START);
    }

    /** Runs the resolver and the rate limiter until killed; args as {@link StageProcess#main}'s. */
    public static void main(String[] args) throws InterruptedException {
        PostgresEndpoint postgres = new PostgresEndpoint(args[3], args[4], args[5]);
        BackfillPipelineConfig config = new BackfillPipelineConfig(URI.create(args[6]), Boolean.parseBoolean(args[7]),
                RateLimitPolicy.parse(args[8]), args[9], args[10], args[11], Path.of(args[12]), Integer.parseInt(args[13]));
        BackfillPipeline upstream = BackfillPipeline.startUpstream(ConnectionSettings.plaintext(args[1], args[2]), postgres, config);
        ChildJvm.announceRunning();
        try {
            while (true) {
                Thread.sleep(1_000);
                upstream.assertHealthy();
            }
        } catch (IllegalStateException e) {
            e.printStackTrace(); // a failed stage ends the process, which the test sees
            System.exit(1);
        }
    }
}
