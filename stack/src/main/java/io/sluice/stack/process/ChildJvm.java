package io.sluice.stack.process;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
 * A component's {@code main} in a JVM of its own, on this JVM's class path, so a test can kill it the
 * hard way (SIGKILL: no commit, no leaving the group, an open transaction left behind). The child's
 * {@code main} calls {@link #announceRunning()} once it runs; {@link #start} returns then, so a later
 * failure is the component's and not the launch's. Its output is appended to a log file.
 */
public final class ChildJvm implements AutoCloseable {

    /** JVM options for a component under a fault test: a small heap, and C1 only, so JIT takes less of two cores. */
    public static final List<String> SMALL = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");
    private static final Logger log = LoggerFactory.getLogger(ChildJvm.class);
    private static final String RUNNING = "CHILD-JVM-RUNNING";
    /** Restarts {@link #superviseRestart} allows, as a supervisor's restart policy with a crash-loop limit. */
    private static final int MAX_RESTARTS = 3;

    private final String name;
    private final List<String> command;
    private final Path logFile;
    private final Duration timeout;
    private Process process;
    private int restarts;

    private ChildJvm(String name, List<String> command, Path logFile, Duration timeout) throws IOException, InterruptedException {
        this.name = name;
        this.command = List.copyOf(command);
        this.logFile = logFile;
        this.timeout = timeout;
        this.process = launch();
    }

    /** Runs {@code main} with {@code args} and {@code -Xmx<heap>}; returns once it announced it runs. */
    public static ChildJvm start(String name, Class<?> main, List<String> args, String heap, Path logFile, Duration timeout)
            throws IOException, InterruptedException {
        return start(name, main, args, List.of("-Xmx" + heap), logFile, timeout);
    }

    /** As {@link #start(String, Class, List, String, Path, Duration)}, with the JVM's options given whole. */
    public static ChildJvm start(String name, Class<?> main, List<String> args, List<String> jvmOptions, Path logFile,
                                 Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        return new ChildJvm(name, command, logFile, timeout);
    }

    /** For the child's {@code main}: tells {@link #start} that it runs. */
    public static void announceRunning() {
        System.out.println(RUNNING);
        System.out.flush();
    }

    private Process launch() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
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
            child.destroyForcibly();
            throw new IllegalStateException(name + " did not start; see " + logFile, e);
        }
        log.info("{} (pid {}) running after {} s; output in {}", name, child.pid(),
                String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / 1e9), logFile);
        return child;
    }

    public String name() {
        return name;
    }

    /** Throws when the process ended by itself: a component that gave up fails the test with its log's name. */
    public void assertAlive() {
        if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + logFile);
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
            throw new IllegalStateException(name + " exited with " + process.exitValue() + " after " + restarts
                    + " restarts; see " + logFile);
        }
        restarts++;
        log.warn("{} exited with {}; restart {} as its supervisor would; see {}", name, process.exitValue(), restarts, logFile);
        try {
            process = launch();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restarting " + name, e);
        }
    }

    /** How often {@link #superviseRestart} started the process again. */
    public int restarts() {
        return restarts;
    }

    /** SIGKILL and start it again at once: a fault injected on purpose, not counted in {@link #restarts}. */
    public void killAndRestart() throws IOException, InterruptedException {
        kill();
        process = launch();
    }

    /**
     * Appends a thread dump of the process ({@code jcmd PID Thread.print}) to its log: where a component
     * that stopped making progress is stuck, for the test that gives up on it.
     */
    public void dumpThreads() {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process dump = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "Thread.print")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            if (!dump.waitFor(30, TimeUnit.SECONDS)) dump.destroyForcibly();
            log.info("thread dump of {} appended to {}", name, logFile);
        } catch (IOException e) {
            log.warn("no thread dump of {}: {}", name, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
