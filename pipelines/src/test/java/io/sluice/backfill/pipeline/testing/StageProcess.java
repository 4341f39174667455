package io.sluice.backfill.pipeline.testing;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.fetch.FetcherApp;
import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterApp;
import io.sluice.backfill.resolve.Resolver;
import io.sluice.backfill.resolve.ResolverConfig;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.sinks.backfill.RecordsSink;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.stack.PostgresEndpoint;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stage of a {@link BackfillPipeline} (resolver, rate limiter, fetcher or records sink) in a JVM of its
 * own, configured exactly as the in-process stage would be ({@link BackfillPipeline#resolverConfig},
 * {@link BackfillPipeline#rateLimiterConfig}, {@link BackfillPipeline#fetcherConfig}, {@link BackfillPipeline#sinkConfig}),
 * so a test can kill it the hard way (SIGKILL: no commit, no leaving the group, a PostgreSQL
 * transaction cut off) and start another.
 */
public final class StageProcess implements AutoCloseable {

    public enum Stage { RESOLVER, RATE_LIMITER, FETCHER, SINK }

    private static final Logger log = LoggerFactory.getLogger(StageProcess.class);

    private static final String RUNNING = "STAGE-PROCESS-RUNNING";
    private final Stage stage;
    private final Process process;

    private StageProcess(Stage stage, Process process) {
        this.stage = stage;
        this.process = process;
    }

    /** Starts {@code stage} of the pipeline {@code config} describes and returns once it is running. */
    public static StageProcess start(Stage stage, String bootstrapServers, String registryUrl, PostgresEndpoint postgres,
                                     BackfillPipelineConfig config, Path log, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), StageProcess.class.getName(),
                stage.name(), bootstrapServers, registryUrl, postgres.jdbcUrl(), postgres.user(), postgres.password(),
                config.plcUrl().toString(), Boolean.toString(config.allowLoopback()), config.defaultHostPolicy().toString(),
                config.idPrefix(), config.topicPrefix(), config.dbSchema(), config.stateDir().toString(),
                Integer.toString(config.partitions())));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains(RUNNING)) running.complete(null);
                    Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                running.completeExceptionally(e);
            }
            running.completeExceptionally(new IllegalStateException("the " + stage + " process ended; see " + log));
        }, "stage-process-output-" + stage);
        pump.setDaemon(true);
        pump.start();
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the " + stage + " process did not start; see " + log, e);
        }
        StageProcess.log.info("{} process {} running after {} s", stage, process.pid(),
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
        return new StageProcess(stage, process);
    }

    /** Throws when the process ended by itself. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + stage + " process exited with " + process.exitValue());
        }
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the " + stage + " process outlived SIGKILL");
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
                System.out.println(RUNNING);
                resolver.run();
                System.exit(1); // run() returns only when closed, which nothing here does
            }
            case RATE_LIMITER -> {
                // a rate limiter needs a state directory of its own: the caller gives each one another stateDir
                RateLimiterApp app = new RateLimiterApp(BackfillPipeline.rateLimiterConfig(connection, config)
                        .streamsOverride(StreamsConfig.CLIENT_ID_CONFIG, "sluice-ratelimiter-" + ProcessHandle.current().pid())
                        .build());
                app.start();
                System.out.println(RUNNING);
                while (app.state() != KafkaStreams.State.ERROR && app.state() != KafkaStreams.State.NOT_RUNNING) {
                    Thread.sleep(200); // runs until killed
                }
                System.out.println("the rate limiter is " + app.state());
                System.exit(1);
            }
            case FETCHER -> {
                Files.createDirectories(config.stateDir().resolve("spill"));
                FetcherApp app = FetcherApp.start(BackfillPipeline.fetcherConfig(connection, config).build());
                System.out.println(RUNNING);
                while (!app.awaitTermination(Duration.ofSeconds(1))) {
                    // runs until killed
                }
                app.failure().ifPresent(Throwable::printStackTrace);
                System.exit(1);
            }
            case SINK -> {
                ExactlyOnceSink<String, SpecificRecord> sink = RecordsSink.create(
                        BackfillPipeline.sinkConfig(connection, postgres, config).build(),
                        BackfillPipeline.sinkTopics(config), new AvroSerdes(HttpSchemaRegistryClient.create(registry), true));
                System.out.println(RUNNING);
                sink.run();
                System.exit(1); // run() returns only when closed, which nothing here does
            }
        }
    }
}
