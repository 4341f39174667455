package io.sluice.stack.fault;

import io.sluice.stack.FreePorts;
import io.sluice.stack.kafka.EmbeddedKafkaBroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A single-node Kafka broker in a JVM of its own over a fixed log directory and fixed ports, so a
 * fault test can stop it (SIGTERM: a controlled shutdown; or SIGKILL) and start it again with its
 * topics, committed offsets and transaction state intact, while the components keep their bootstrap
 * address: the fault suite's broker and {@code sluice bench soak}'s. The broker is the embedded stack's ({@link EmbeddedKafkaBroker#startPersistent}).
 */
public final class KafkaBrokerProcess implements AutoCloseable {

    private static final String READY = "KAFKA-BROKER-PROCESS-READY";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path logDir;
    private final Path log;
    private final int port;
    private final int controllerPort;
    private final Duration startTimeout;
    private Process process;

    private KafkaBrokerProcess(Path logDir, Path log, int port, int controllerPort, Duration startTimeout) {
        this.logDir = logDir;
        this.log = log;
        this.port = port;
        this.controllerPort = controllerPort;
        this.startTimeout = startTimeout;
    }

    /** Starts a broker over {@code dir}/kafka on free ports; its output goes to {@code dir}/broker.log. */
    public static KafkaBrokerProcess start(Path dir) throws IOException, InterruptedException {
        return start(dir, dir.resolve("broker.log"));
    }

    /** Starts a broker over {@code dir}/kafka on free ports; its output goes to {@code log}. */
    public static KafkaBrokerProcess start(Path dir, Path log) throws IOException, InterruptedException {
        return start(dir, log, START_TIMEOUT);
    }

    /**
     * As {@link #start(Path, Path)}, allowing each start (this one and every {@link #restart}) {@code startTimeout}:
     * on a loaded machine a broker recovering its logs can take minutes.
     */
    public static KafkaBrokerProcess start(Path dir, Path log, Duration startTimeout) throws IOException, InterruptedException {
        Path logDir = Files.createDirectories(dir.resolve("kafka"));
        KafkaBrokerProcess broker = new KafkaBrokerProcess(logDir, log, FreePorts.next(), FreePorts.next(), startTimeout);
        broker.launch();
        return broker;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM and wait until the broker has shut down (it writes its clean-shutdown marker). */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the broker did not shut down within 60 s after SIGTERM; see " + log);
        }
    }

    /** SIGKILL: no controlled shutdown, the log recovered at the next start. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the broker outlived SIGKILL");
    }

    /** Starts the broker again over the same directory and ports; returns once it answers. */
    public void restart() throws IOException, InterruptedException {
        if (process.isAlive()) throw new IllegalStateException("the broker is still running");
        launch();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) kill();
    }

    private void launch() throws IOException, InterruptedException {
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), KafkaBrokerProcess.class.getName(),
                logDir.toString(), Integer.toString(port), Integer.toString(controllerPort));
        Process started = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains(READY)) ready.complete(null);
                    Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            ready.completeExceptionally(new IllegalStateException("the broker process ended; see " + log));
        }, "kafka-broker-process-output");
        pump.setDaemon(true);
        pump.start();
        try {
            ready.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            started.destroyForcibly();
            throw new IllegalStateException("the broker process did not start within " + startTimeout + "; see " + log, e);
        }
        process = started;
    }

    /** Runs the broker until SIGTERM (shut down in order) or SIGKILL. Args: logDir port controllerPort. */
    public static void main(String[] args) throws InterruptedException {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.startPersistent(Path.of(args[0]),
                Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-shutdown"));
        System.out.println(READY);
        Thread.sleep(Long.MAX_VALUE);
    }
}
