package io.sluice.testing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A stage in a JVM of its own, on this JVM's class path, so a test can kill it the hard way (SIGKILL:
 * no commit, no leaving the group, an open transaction left behind). The child's {@code main} calls
 * {@link #announceRunning()} once it runs; {@link #start} returns then. Its output goes to a log file.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final String RUNNING = "CHILD-JVM-RUNNING";

    private final String name;
    private final Process process;

    private ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
    }

    /** Runs {@code main} with {@code args} and {@code -Xmx<heap>}; returns once it announced it runs. */
    public static ChildJvm start(String name, Class<?> main, List<String> args, String heap, Path logFile, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains(RUNNING)) running.complete(null);
                    Files.writeString(logFile, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                running.completeExceptionally(e);
            }
            running.completeExceptionally(new IllegalStateException(name + " ended; see " + logFile));
        }, "child-jvm-output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not start; see " + logFile, e);
        }
        log.info("{} (pid {}) running after {} s; output in {}", name, process.pid(),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9), logFile);
        return new ChildJvm(name, process);
    }

    /** For the child's {@code main}: tells {@link #start} that it runs. */
    public static void announceRunning() {
        System.out.println(RUNNING);
        System.out.flush();
    }

    public String name() {
        return name;
    }

    /** Throws when the process ended by itself. */
    public void assertAlive() {
        if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue());
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException(name + " outlived SIGKILL");
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
