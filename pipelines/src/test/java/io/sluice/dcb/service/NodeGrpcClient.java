package io.sluice.dcb.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Node gRPC client in {@code src/test/node/grpc-client} (@grpc/grpc-js, the .proto files loaded
 * from {@code schemas/} as they are), run as a child process: it prints one JSON object of what it
 * observed, which the test asserts.
 *
 * <p>The rule when node or the folder's {@code node_modules} is missing, as for chromium: under CI
 * ({@code CI=true}) the test fails, since {@code .ci/run} installs node and runs {@code npm ci};
 * elsewhere it is skipped with a message saying what to run.
 */
final class NodeGrpcClient {

    /** Relative to the module, where failsafe runs. */
    static final Path DIR = Path.of("src/test/node/grpc-client");
    static final Path PROTOS = Path.of("../schemas/src/main/proto");

    private static final ObjectMapper JSON = new ObjectMapper();

    private NodeGrpcClient() {
    }

    /** Skips (locally) or fails (under CI) when node or the client's packages are not installed. */
    static void require() {
        Optional<String> missing = node().isEmpty() ? Optional.of("node is not on the PATH: install Debian's nodejs and npm packages")
                : Files.isDirectory(DIR.resolve("node_modules/@grpc/grpc-js")) ? Optional.empty()
                : Optional.of(DIR.toAbsolutePath().normalize() + "/node_modules is missing: run npm ci there");
        if (missing.isEmpty()) return;
        if ("true".equals(System.getenv("CI"))) throw new AssertionError(missing.get() + "; .ci/run does both under CI");
        System.err.println("SKIPPED: " + missing.get());
        Assumptions.abort(missing.get());
    }

    /**
     * Runs the client against {@code target} with the extra arguments, and returns its JSON; a client
     * still running after {@code timeout} is killed and the test fails with what it wrote.
     */
    static JsonNode run(String target, Duration timeout, Path scratch, String... args) throws IOException, InterruptedException {
        Path out = scratch.resolve("node-client.out");
        Path err = scratch.resolve("node-client.err");
        List<String> command = new ArrayList<>(List.of(node().orElseThrow().toString(), "client.js",
                "--target", target, "--proto-dir", PROTOS.toAbsolutePath().normalize().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(DIR.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("the node client did not finish within " + timeout + "; stdout: "
                    + Files.readString(out) + " stderr: " + Files.readString(err));
        }
        String stdout = Files.readString(out);
        if (p.exitValue() != 0) {
            throw new AssertionError("the node client exited " + p.exitValue() + ": " + stdout + Files.readString(err));
        }
        return JSON.readTree(stdout);
    }

    private static Optional<Path> node() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "node");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }
}
