package io.sluice.stack.registry;

import io.sluice.stack.FreePorts;
import io.sluice.stack.StackException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Apicurio Registry running as a child process of this JVM, on free loopback ports, with global
 * compatibility BACKWARD and in-memory storage. Clients use its Confluent-compatible API
 * ({@link #ccompatUrl()}). Closing it (or this JVM exiting) stops the process.
 */
public final class ApicurioRegistryProcess implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final int httpPort;
    private final Path logFile;
    private final Thread shutdownHook;

    private ApicurioRegistryProcess(Process process, int httpPort, Path logFile) {
        this.process = process;
        this.httpPort = httpPort;
        this.logFile = logFile;
        this.shutdownHook = new Thread(this::stopProcess, "apicurio-registry-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static ApicurioRegistryProcess start(Consumer<String> progress) {
        Path home = ApicurioDistribution.resolve(progress);
        int httpPort = FreePorts.next();
        int managementPort = FreePorts.next();
        try {
            Path logFile = Files.createTempFile("sluice-apicurio-", ".log");
            ProcessBuilder pb = new ProcessBuilder(List.of(javaExecutable(), "-Xmx512m", "-jar", "quarkus-run.jar"))
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Map<String, String> env = pb.environment();
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
            env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(managementPort));
            env.put("APICURIO_RULES_GLOBAL_COMPATIBILITY", "BACKWARD");
            progress.accept("starting Apicurio Registry " + ApicurioDistribution.VERSION + " on port " + httpPort);
            ApicurioRegistryProcess registry = new ApicurioRegistryProcess(pb.start(), httpPort, logFile);
            try {
                registry.awaitReady(managementPort);
            } catch (RuntimeException e) {
                registry.close();
                throw e;
            }
            return registry;
        } catch (IOException e) {
            throw new StackException("cannot start Apicurio Registry from " + home + ": " + e.getMessage(), e);
        }
    }

    /** Base URL of the Confluent-compatible API. */
    public String ccompatUrl() {
        return "http://127.0.0.1:" + httpPort + "/apis/ccompat/v7";
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs stopProcess, which is idempotent
        }
        try {
            Files.deleteIfExists(logFile);
        } catch (IOException ignored) {
            // a leftover log in /tmp is harmless
        }
    }

    private void stopProcess() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady(int managementPort) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new StackException("Apicurio Registry exited with code " + process.exitValue() + ":\n" + logTail());
            }
            try {
                HttpResponse<String> response = http.send(ready, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) return;
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for Apicurio Registry", e);
            }
            sleep(250);
        }
        throw new StackException("Apicurio Registry not ready after " + READY_TIMEOUT.toSeconds() + " s:\n" + logTail());
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static String javaExecutable() {
        // The registry needs Java 21+, which this JVM is (sluice's own release level).
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while waiting for Apicurio Registry", e);
        }
    }
}
