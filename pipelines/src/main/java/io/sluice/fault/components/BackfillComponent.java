package io.sluice.fault.components;

import io.sluice.backfill.fetch.FetcherApp;
import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.process.ChildJvm;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The backfill's components each in a JVM of their own, configured as {@link BackfillPipeline} configures
 * them: the resolver with the rate limiter ({@code UPSTREAM}), the fetcher and the records sink. Used by
 * the fault suite and {@code sluice bench soak}.
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
        return ChildJvm.start(kind.name().toLowerCase(java.util.Locale.ROOT), BackfillComponent.class, args, ChildJvm.SMALL,
                log, START);
    }

    /**
     * Runs the component until killed. Args: kind bootstrap registry jdbcUrl user password plcUrl allowLoopback
     * hostPolicy idPrefix topicPrefix schema stateDir partitions.
     */
    public static void main(String[] args) throws Exception {
        PostgresEndpoint postgres = new PostgresEndpoint(args[3], args[4], args[5]);
        BackfillPipelineConfig config = new BackfillPipelineConfig(URI.create(args[6]), Boolean.parseBoolean(args[7]),
                RateLimitPolicy.parse(args[8]), args[9], args[10], args[11], Path.of(args[12]), Integer.parseInt(args[13]));
        ConnectionSettings connection = ConnectionSettings.plaintext(args[1], args[2]);
        switch (Kind.valueOf(args[0])) {
            case UPSTREAM -> {
                BackfillPipeline upstream = BackfillPipeline.startUpstream(connection, postgres, config);
                ChildJvm.announceRunning();
                try {
                    while (true) {
                        Thread.sleep(1_000);
                        upstream.assertHealthy();
                    }
                } catch (IllegalStateException e) {
                    e.printStackTrace(); // a failed stage ends the process, which its supervisor sees
                    System.exit(1);
                }
            }
            case FETCHER -> {
                Files.createDirectories(config.stateDir().resolve("spill"));
                FetcherApp app = FetcherApp.start(BackfillPipeline.fetcherConfig(connection, config).build());
                ChildJvm.announceRunning();
                while (!app.awaitTermination(Duration.ofSeconds(1))) {
                    // runs until killed
                }
                app.failure().ifPresent(Throwable::printStackTrace);
                System.exit(1);
            }
            case SINK -> {
                ExactlyOnceSink<String, SpecificRecord> sink = RecordsSink.create(
                        BackfillPipeline.sinkConfig(connection, postgres, config).build(),
                        BackfillPipeline.sinkTopics(config), new AvroSerdes(HttpSchemaRegistryClient.create(args[2]), true));
                ChildJvm.announceRunning();
                sink.run();
                System.exit(1); // run() returns only when closed, which nothing here does
            }
        }
    }
}
