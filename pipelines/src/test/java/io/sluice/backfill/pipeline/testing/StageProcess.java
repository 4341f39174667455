package io.sluice.backfill.pipeline.testing;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterApp;
import io.sluice.backfill.resolve.Resolver;
import io.sluice.backfill.resolve.ResolverConfig;
import io.sluice.fault.components.BackfillComponent;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.process.ChildJvm;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A stage of a {@link BackfillPipeline} (resolver, rate limiter, fetcher or records sink) in a JVM of its
 * own, configured exactly as the in-process stage would be ({@link BackfillPipeline#resolverConfig},
 * {@link BackfillPipeline#rateLimiterConfig}, {@link BackfillPipeline#fetcherConfig}, {@link BackfillPipeline#sinkConfig}),
 * so a test can kill it the hard way (SIGKILL: no commit, no leaving the group, a PostgreSQL
 * transaction cut off) and start another ({@link ChildJvm}).
 */
public final class StageProcess implements AutoCloseable {

    public enum Stage { RESOLVER, RATE_LIMITER, FETCHER, SINK }

    private final ChildJvm process;

    private StageProcess(ChildJvm process) {
        this.process = process;
    }

    /** Starts {@code stage} of the pipeline {@code config} describes and returns once it is running. */
    public static StageProcess start(Stage stage, String bootstrapServers, String registryUrl, PostgresEndpoint postgres,
                                     BackfillPipelineConfig config, Path log, Duration timeout)
            throws IOException, InterruptedException {
        return new StageProcess(ChildJvm.start(stage.name().toLowerCase(Locale.ROOT), StageProcess.class, List.of(stage.name(),
                bootstrapServers, registryUrl, postgres.jdbcUrl(), postgres.user(), postgres.password(),
                config.plcUrl().toString(), Boolean.toString(config.allowLoopback()), config.defaultHostPolicy().toString(),
                config.idPrefix(), config.topicPrefix(), config.dbSchema(), config.stateDir().toString(),
                Integer.toString(config.partitions())), "256m", log, timeout));
    }

    /** Throws when the process ended by itself. */
    public void assertAlive() {
        process.assertAlive();
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /**
     * Runs the stage until killed. Args: stage bootstrap registry jdbcUrl user password plcUrl allowLoopback
     * hostPolicy idPrefix topicPrefix schema stateDir partitions.
     */
    public static void main(String[] args) throws Exception {
        Stage stage = Stage.valueOf(args[0]);
        String bootstrap = args[1];
        String registry = args[2];
        PostgresEndpoint postgres = new PostgresEndpoint(args[3], args[4], args[5]);
        BackfillPipelineConfig config = new BackfillPipelineConfig(URI.create(args[6]), Boolean.parseBoolean(args[7]),
                RateLimitPolicy.parse(args[8]), args[9], args[10], args[11], Path.of(args[12]), Integer.parseInt(args[13]));
        ConnectionSettings connection = ConnectionSettings.plaintext(bootstrap, registry);
        switch (stage) {
            case RESOLVER -> {
                // the instance's client ids as --instance-id makes them, the pid standing in for the id
                Resolver resolver = Resolver.create(BackfillPipeline.resolverConfig(connection, config)
                        .clientId(ResolverConfig.DEFAULT_CLIENT_ID + "-" + ProcessHandle.current().pid()).build());
                ChildJvm.announceRunning();
                resolver.run();
                System.exit(1); // run() returns only when closed, which nothing here does
            }
            case RATE_LIMITER -> {
                // a rate limiter needs a state directory of its own: the caller gives each one another stateDir
                RateLimiterApp app = new RateLimiterApp(BackfillPipeline.rateLimiterConfig(connection, config)
                        .streamsOverride(StreamsConfig.CLIENT_ID_CONFIG, "sluice-ratelimiter-" + ProcessHandle.current().pid())
                        .build());
                app.start();
                ChildJvm.announceRunning();
                while (app.state() != KafkaStreams.State.ERROR && app.state() != KafkaStreams.State.NOT_RUNNING) {
                    Thread.sleep(200); // runs until killed
                }
                System.out.println("the rate limiter is " + app.state());
                System.exit(1);
            }
            case FETCHER, SINK -> BackfillComponent.main(args); // the same stage as the fault suite runs
        }
    }
}
