package io.sluice.cli;

import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.serde.AvroSerdes;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice publish-dids} against the real broker and registry. */
@WithSluiceStack
class PublishDidsCommandIT {

    private static final String LIST = """
            # DIDs for the IT
            did:plc:ewvi7nxzyoun6zhxrhs64oiz

              did:web:example.com\t
            did:plc:ewvi7nxzyoun6zhxrhs64oiz
            did:plc:44ybard66vv44zksje25o7dz
            @alice.bsky.social
            did:web:example.com
               # indented comment
            DID:PLC:SHOUTING
            """;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void publishesEachValidDidOnceAndReportsTheRest(TestStack stack, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("dids.txt"), LIST);
        String topic = stack.unique("dids");

        int exit = run("publish-dids", "--bootstrap=" + stack.bootstrapServers(), "--registry=" + stack.registryUrl(),
                "--topic=" + topic, "--run-id=run-it-1", file.toString());

        assertThat(exit).as("stderr: %s", err).isEqualTo(PublishDidsCommand.EXIT_INVALID_LINES);
        assertThat(out.toString())
                .contains("published 3 DIDs to " + topic + ", run id run-it-1")
                .containsPattern("lines\\s+10\\n").containsPattern("published\\s+3\\n")
                .containsPattern("duplicates\\s+2\\n").containsPattern("invalid\\s+2\\n");
        assertThat(err.toString()).contains("2 invalid lines:")
                .contains("line 7: @alice.bsky.social (DID must start with 'did:' (lowercase))")
                .contains("line 10: DID:PLC:SHOUTING");

        List<ConsumerRecord<String, DidWorkItem>> records = readAll(stack, topic, 3);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder(
                "did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:example.com", "did:plc:44ybard66vv44zksje25o7dz");
        assertThat(records).allSatisfy(r -> {
            assertThat(r.value().getDid()).isEqualTo(r.key());
            assertThat(r.value().getRunId()).isEqualTo("run-it-1");
        });
    }

    @Test
    void skipInvalidExitsZeroAndARunIdIsGeneratedWhenNoneIsGiven(TestStack stack, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("dids.txt"), LIST);
        String topic = stack.unique("dids");

        int exit = run("publish-dids", "--bootstrap=" + stack.bootstrapServers(), "--registry=" + stack.registryUrl(),
                "--topic=" + topic, "--skip-invalid", file.toString());

        assertThat(exit).as("stderr: %s", err).isZero();
        assertThat(out.toString()).containsPattern("run id run-\\d{8}T\\d{6}Z-[0-9a-f]{4}");
        assertThat(readAll(stack, topic, 3)).hasSize(3);
    }

    @Test
    void dashReadsStandardInput(TestStack stack) throws Exception {
        String topic = stack.unique("dids");
        java.io.InputStream stdin = System.in;
        System.setIn(new java.io.ByteArrayInputStream("did:plc:ewvi7nxzyoun6zhxrhs64oiz\n".getBytes(
                java.nio.charset.StandardCharsets.UTF_8)));
        try {
            assertThat(run("publish-dids", "--bootstrap=" + stack.bootstrapServers(), "--registry=" + stack.registryUrl(),
                    "--topic=" + topic, "-")).as("stderr: %s", err).isZero();
        } finally {
            System.setIn(stdin);
        }
        assertThat(out.toString()).contains("published 1 DIDs to " + topic);
        assertThat(readAll(stack, topic, 1)).extracting(ConsumerRecord::key).containsExactly("did:plc:ewvi7nxzyoun6zhxrhs64oiz");
    }

    @Test
    void aTooLongLineAndAnEscapeSequenceAreReportedSafelyAndTheRestPublished(TestStack stack, @TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("dids.txt"), "did:plc:ewvi7nxzyoun6zhxrhs64oiz\n"
                + "did:web:" + "a".repeat(300) + "\n"
                + "\u001b[2J\u001b]0;owned\u0007\n"
                + "did:web:example.com\n");
        String topic = stack.unique("dids");

        int exit = run("publish-dids", "--bootstrap=" + stack.bootstrapServers(), "--registry=" + stack.registryUrl(),
                "--topic=" + topic, "--max-line-bytes=256", file.toString());

        assertThat(exit).as("stderr: %s", err).isEqualTo(PublishDidsCommand.EXIT_INVALID_LINES);
        assertThat(err.toString())
                .contains("line 2: did:web:aaaa").contains("(line too long: over 256 bytes)")
                .contains("line 3: \\u001b[2J\\u001b]0;owned\\u0007")
                .doesNotContain("\u001b").doesNotContain("\u0007");
        assertThat(readAll(stack, topic, 2)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:example.com");
    }

    /**
     * The case: a 300 MB line ended in an OutOfMemoryError at -Xmx512m. Now, in a JVM of its own with
     * a 64 MB heap, the line is reported cut and escaped, the DIDs around it are published, in bounded time.
     */
    @Test
    void aThreeHundredMegabyteLineIsRejectedInA64MegabyteHeap(TestStack stack) throws Exception {
        String topic = stack.unique("dids");
        List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx64m",
                "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Sluice.class.getName(), "publish-dids", "--bootstrap-server=" + stack.bootstrapServers(),
                "--registry-url=" + stack.registryUrl(), "--topic=" + topic, "--run-id=huge-line", "-");
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        Thread pump = Thread.ofVirtual().start(() -> {
            try (var in = child.getInputStream()) {
                output.append(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                output.append(e);
            }
        });
        try (var stdin = child.getOutputStream()) {
            stdin.write("did:plc:ewvi7nxzyoun6zhxrhs64oiz\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = ("did:web:" + "\u001b".repeat(1 << 16)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            for (long written = 0; written < 300L << 20; written += chunk.length) stdin.write(chunk);
            stdin.write("\ndid:web:example.com\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        boolean exited = child.waitFor(2, java.util.concurrent.TimeUnit.MINUTES);
        if (!exited) child.destroyForcibly().waitFor();
        pump.join(10_000);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("PublishDidsCommandIT: a 300 MB line in a 64 MB heap, exit %d after %.1f s, %d bytes of output%n",
                child.exitValue(), seconds, output.length());

        assertThat(exited).as("exited within 2 minutes").isTrue();
        assertThat(output).doesNotContain("OutOfMemoryError").doesNotContain("\u001b");
        assertThat(child.exitValue()).as(output.toString()).isEqualTo(PublishDidsCommand.EXIT_INVALID_LINES);
        assertThat(output).contains("line 2: did:web:\\u001b\\u001b").contains("(line too long: over 8192 bytes)")
                .contains("published 2 DIDs to " + topic);
        assertThat(output.length()).as("the line is echoed cut, not whole").isLessThan(64 * 1024);
        assertThat(readAll(stack, topic, 2)).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder("did:plc:ewvi7nxzyoun6zhxrhs64oiz", "did:web:example.com");
    }

    @Test
    void aMaxLineBytesOutOfRangeIsAUsageErrorNamingTheOption(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("dids.txt"), "did:web:example.com\n");

        assertThat(run("publish-dids", "--bootstrap=127.0.0.1:1", "--registry=http://127.0.0.1:1",
                "--max-line-bytes=0", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--max-line-bytes must be 64..16777216, got 0");
    }

    static List<ConsumerRecord<String, DidWorkItem>> readAll(TestStack stack, String topic, int expected) {
        AvroSerdes serdes = new AvroSerdes(HttpSchemaRegistryClient.create(stack.registryUrl()), false);
        Deserializer<String> keys = serdes.stringKey().deserializer();
        Deserializer<DidWorkItem> values = serdes.specificValue(DidWorkItem.class).deserializer();
        List<ConsumerRecord<String, DidWorkItem>> records = new ArrayList<>();
        try (KafkaConsumer<String, DidWorkItem> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()), keys, values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
