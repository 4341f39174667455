package io.sluice.cli;

import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sluice image runs (issue 14): built from the Dockerfile's {@code prebuilt} target over this
 * build's {@code cli/target} (sluice.jar, lib/) on {@code SLUICE_TEST_JRE_IMAGE} (default the
 * Dockerfile's own eclipse-temurin:21-jre), so its Class-Path, lib/, user and entrypoint are those of
 * the image {@code docker compose up} runs; then {@code --help} and {@code publish-dids} against the
 * containers stack. Skipped without a Docker daemon, except under {@code CI=true}.
 */
@WithSluiceStack(WithSluiceStack.Stack.CONTAINERS)
class SluiceImageIT {

    private static final String IMAGE = "sluice:local";

    @BeforeAll
    static void buildImage() throws Exception {
        Path cliTarget = Path.of("target").toAbsolutePath();
        assertThat(cliTarget.resolve("sluice.jar")).as("the package phase ran before the ITs").exists();
        String runtime = System.getenv().getOrDefault("SLUICE_TEST_JRE_IMAGE", "eclipse-temurin:21-jre");
        Result build = docker("build", "-q", "-f", cliTarget.resolveSibling("../Dockerfile").normalize().toString(),
                "--target", "prebuilt", "--build-arg", "RUNTIME_IMAGE=" + runtime, "-t", IMAGE, cliTarget.toString());
        assertThat(build.exit()).as(build.output()).isZero();
    }

    @Test
    void helpRunsAsTheUnprivilegedUser() throws Exception {
        Result help = docker("run", "--rm", IMAGE);
        assertThat(help.exit()).as(help.output()).isZero();
        assertThat(help.output()).contains("Usage: sluice", "publish-dids", "records-sink");
        Result user = docker("run", "--rm", "--entrypoint", "id", IMAGE, "-un");
        assertThat(user.output().strip()).isEqualTo("sluice");
    }

    @Test
    void publishDidsFromTheImageReachesKafkaAndTheRegistry(TestStack stack, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("dids.txt"), "did:plc:ewvi7nxzyoun6zhxrhs64oiz\ndid:web:example.com\n");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String topic = stack.unique("image-dids");
        // Host networking: the containers stack's broker advertises 127.0.0.1.
        Result publish = docker("run", "--rm", "--network", "host", "-v", dir + ":/data:ro", IMAGE, "publish-dids",
                "--bootstrap=" + stack.bootstrapServers(), "--registry=" + stack.registryUrl(), "--topic=" + topic,
                "--run-id=image-it", "/data/dids.txt");
        assertThat(publish.exit()).as(publish.output()).isZero();
        assertThat(publish.output()).contains("published 2 DIDs to " + topic);
        assertThat(PublishDidsCommandIT.readAll(stack, topic, 2)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:example.com");
    }

    private record Result(int exit, String output) {
    }

    private static Result docker(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("docker %s finished", args[0]).isTrue();
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
