package io.sluice.dcb.service.testing;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.dcb.decider.DeciderApp;
import io.sluice.dcb.decider.DeciderConfig;
import io.sluice.dcb.decider.DeciderTopology;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The decider in a JVM of its own, so a test can kill it the hard way (SIGKILL: no commit, no
 * leaving the group, an open transaction left behind) and start another. {@link #main} runs the
 * decider; {@link #start} launches it on this JVM's class path and waits until it runs.
 */
public final class DeciderProcess implements AutoCloseable {

    private static final String RUNNING = "DECIDER-PROCESS-RUNNING";

    private final Process process;

    private DeciderProcess(Process process) {
        this.process = process;
    }

    /** Starts a decider for {@code config} and returns once it is processing. */
    public static DeciderProcess start(DeciderConfig config, Path log, Duration timeout) throws IOException, InterruptedException {
        return start(config, "decider-" + java.util.UUID.randomUUID().toString().substring(0, 8), log, timeout);
    }

    /**
     * Starts a decider whose Kafka clients carry {@code clientId} (its stream thread's consumer is
     * {@code <clientId>-StreamThread-1-consumer}) and returns once it is processing.
     */
    public static DeciderProcess start(DeciderConfig config, String clientId, Path log, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), DeciderProcess.class.getName(),
                config.connection().bootstrapServers(), config.connection().requireRegistry().url(), config.applicationId(), config.commandsTopic(),
                config.eventsTopic(), config.resultsTopic(), config.dlqTopic(), config.stateDir().orElseThrow().toString(),
                Long.toString(config.commitInterval().toMillis()), clientId));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains(RUNNING)) running.complete(null);
                    Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                running.completeExceptionally(e);
            }
            running.completeExceptionally(new IllegalStateException("the decider process ended; see " + log));
        }, "decider-process-output");
        pump.setDaemon(true);
        pump.start();
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the decider process did not start; see " + log, e);
        }
        return new DeciderProcess(process);
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    /** Runs the decider until killed. Args: bootstrap registry appId commands events results dlq stateDir commitMs clientId. */
    public static void main(String[] args) throws InterruptedException {
        DeciderConfig config = DeciderConfig.defaults(ConnectionSettings.plaintext(args[0], args[1])).withApplicationId(args[2])
                .withTopics(args[3], args[4], args[5], args[6]).withStateDir(Path.of(args[7]))
                .withCommitInterval(Duration.ofMillis(Long.parseLong(args[8])));
        Properties props = DeciderApp.streamsProperties(config);
        // The killed member cannot leave the group: the coordinator notices it after the session
        // timeout ConnectionSettings.streams() sets (6 s).
        props.put(StreamsConfig.CLIENT_ID_CONFIG, args[9]);
        KafkaStreams streams = new KafkaStreams(DeciderTopology.build(config), props);
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) System.out.println(RUNNING);
            System.out.println("decider " + before + " -> " + now);
        });
        streams.start();
        Thread.sleep(Long.MAX_VALUE);
    }
}
