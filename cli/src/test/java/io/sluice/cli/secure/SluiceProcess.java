package io.sluice.cli.secure;

import io.sluice.cli.Sluice;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A long-running {@code sluice} command (a stage, the DCB API) in a JVM of its own, as a user runs it:
 * {@code main} with the command line, stopped with SIGTERM as {@code docker stop} does. Its environment
 * has no {@code SLUICE_KAFKA_BOOTSTRAP} or {@code SLUICE_REGISTRY_URL}, so only the options given count.
 */
public final class SluiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private SluiceProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread pump = new Thread(this::pump, "sluice-process-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    public static SluiceProcess start(String... args) throws IOException {
        return start(List.of(args));
    }

    public static SluiceProcess start(List<String> args) throws IOException {
        return start(List.of(), args);
    }

    /** As {@link #start(List)}, with JVM options first (e.g. {@code -D} settings a user would give). */
    public static SluiceProcess start(List<String> jvmOptions, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Sluice.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("SLUICE_KAFKA_BOOTSTRAP");
        builder.environment().remove("SLUICE_REGISTRY_URL");
        builder.environment().remove("SLUICE_CLIENT_CONFIG");
        return new SluiceProcess(args.getFirst(), builder.start());
    }

    /** Waits until the output contains {@code text}; fails when the process exits first or after {@code timeout}. */
    public void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!output.toString().contains(text)) {
            if (!process.isAlive()) {
                Thread.sleep(200); // the last lines
                throw new AssertionError(name + " exited " + process.exitValue() + " before printing '" + text + "':\n" + output);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not print '" + text + "' within " + timeout + ":\n" + output);
            }
            Thread.sleep(100);
        }
    }

    /** Throws when the process has exited: a stage that died makes the test fail with its output, not time out. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited " + process.exitValue() + ":\n" + output);
        }
    }

    public String output() {
        return output.toString();
    }

    /** SIGTERM, as {@code docker stop}: the command shuts down in order; killed if it has not after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void pump() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            output.append("[reading the output failed: ").append(e).append("]\n");
        }
    }
}
