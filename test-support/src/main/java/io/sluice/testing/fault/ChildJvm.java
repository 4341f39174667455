package io.sluice.testing.fault;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A component's {@code main} in a JVM of its own on this JVM's class path, its output appended to a log
 * file; started once the output shows a ready marker, so a fault test can kill it the hard way and
 * know that a failure is the component's and not the launch's.
 */
public final class ChildJvm implements AutoCloseable {

    /** Restarts {@link #superviseRestart} allows, as a supervisor's restart policy with a crash-loop limit. */
    private static final int MAX_RESTARTS = 3;

    private final String name;
    private final Class<?> mainClass;
    private final List<String> args;
    private final String ready;
    private final Path log;
    private final Duration timeout;
    private Process process;
    private int restarts;

    private ChildJvm(String name, Class<?> mainClass, List<String> args, String ready, Path log, Duration timeout, Process process) {
        this.name = name;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.ready = ready;
        this.log = log;
        this.timeout = timeout;
        this.process = process;
    }

    /** Runs {@code mainClass} with {@code args} and returns once a line contains {@code ready}. */
    public static ChildJvm start(String name, Class<?> mainClass, List<String> args, String ready, Path log, Duration timeout)
            throws IOException, InterruptedException {
        return new ChildJvm(name, mainClass, args, ready, log, timeout, launch(name, mainClass, args, ready, log, timeout));
    }

    private static Process launch(String name, Class<?> mainClass, List<String> args, String ready, Path log, Duration timeout)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    if (line.contains(ready)) running.complete(null);
                    Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                running.completeExceptionally(e);
            }
            running.completeExceptionally(new IllegalStateException("the " + name + " process ended; see " + log));
        }, "child-jvm-output-" + name);
        pump.setDaemon(true);
        pump.start();
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            process.destroyForcibly();
            throw new IllegalStateException("the " + name + " process did not start; see " + log, e);
        }
        return process;
    }

    /** Throws when the process ended by itself: a component that gave up fails the test with its log's name. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException("the " + name + " process exited with " + process.exitValue() + "; see " + log);
        }
    }

    /**
     * When the process has exited, starts it again as the deployment's supervisor does ({@code restart:
     * unless-stopped} in docker-compose.yml): a component that stops on a failure it leaves to its
     * supervisor, such as the fetcher after an output it could not write, is restarted, not declared dead.
     * More than {@link #MAX_RESTARTS} is a crash loop and fails.
     */
    public void superviseRestart() {
        if (process.isAlive()) return;
        if (restarts == MAX_RESTARTS) {
            throw new IllegalStateException("the " + name + " process exited with " + process.exitValue() + " after "
                    + restarts + " restarts; see " + log);
        }
        restarts++;
        System.out.println("the " + name + " process exited with " + process.exitValue() + "; restart " + restarts
                + " as its supervisor would; see " + log);
        try {
            process = launch(name, mainClass, args, ready, log, timeout);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting " + name, e);
        }
    }

    /** How often {@link #superviseRestart} started the process again. */
    public int restarts() {
        return restarts;
    }

    public String name() {
        return name;
    }

    /** SIGKILL, and wait until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new IllegalStateException("the " + name + " process outlived SIGKILL");
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
