package io.sluice.cli.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.pipeline.BackfillPipeline;
import io.sluice.backfill.pipeline.BackfillPipelineConfig;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.common.dlq.DeadLetter;
import io.sluice.common.dlq.DeadLetterHeaders;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.etl.cdc.CdcEventPublisher;
import io.sluice.etl.flatten.FlattenerApp;
import io.sluice.etl.flatten.FlattenerConfig;
import io.sluice.ops.testing.SluiceRun;
import io.sluice.schemas.etl.UserRows;
import io.sluice.schemas.serde.AvroSerdeConfig;
import io.sluice.schemas.topics.Topics;
import io.sluice.sinks.core.ExactlyOnceSink;
import io.sluice.sinks.etl.EtlSink;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10: one undeserializable record (bytes that are not the Confluent wire format) into the input of each
 * of the eight stages, run as the pipelines run them, finds one dead letter per stage with the same seven
 * headers, the source record's key, value and timestamp; then {@code sluice dlq} lists, shows and replays them.
 */
@WithSluiceStack
class DeadLetterContractIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final long TIMESTAMP = 1_700_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path stateDir;

    /** One bad record sent to a stage's input. */
    private record Sent(String stage, String dlqTopic, RecordMetadata at, byte[] key, byte[] value) {
    }

    @Test
    void everyStageDeadLettersWithTheSameHeadersAndSluiceDlqListsShowsAndReplaysThem(TestStack stack) throws Exception {
        String id = stack.unique("dlqit");
        String schema = id.replaceAll("[^a-z0-9]", "_");
        BackfillPipelineConfig backfill = new BackfillPipelineConfig(URI.create("http://127.0.0.1:9/plc"), true,
                RateLimitPolicy.parse("5/s"), id, id + ".", schema, stateDir.resolve("backfill"), 1);
        String cdc = id + ".cdc.users";
        String rows = id + ".etl.user-rows";
        String etlDlq = id + ".etl.dlq";
        DcbServiceConfig dcb = TestServices.config(stack, stateDir.resolve("dcb"));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            for (String t : List.of(cdc, rows, etlDlq)) CdcEventPublisher.ensureTopic(admin, t, 1, (short) 1, WAIT);
        }

        List<Sent> sent = new ArrayList<>();
        try (BackfillPipeline pipeline = BackfillPipeline.start(stack.connection(), stack.postgres(), backfill);
             FlattenerApp flattener = new FlattenerApp(new FlattenerConfig(id + "-flattener", stack.connection(), Pattern.compile(Pattern.quote(cdc)), rows, etlDlq));
             RunningSink etlSink = RunningSink.start(EtlSink.create(EtlSink.config(id + "-etl-sink", stack.connection(),
                             stack.postgres().jdbcUrl()).credentials(stack.postgres().user(), stack.postgres().password())
                     .topics(rows).schema(schema + "_etl").dlqTopicPattern(etlDlq).flushInterval(Duration.ofMillis(100)).build(),
                     Topics.fromConfig(new AvroSerdeConfig(stack.registryUrl(), false, true)).etlUserRows()));
             DcbService service = DcbService.start(dcb, line -> { });
             KafkaProducer<byte[], byte[]> producer = rawProducer(stack)) {
            flattener.start();
            sent.add(send(producer, "resolver", backfill.dids(), backfill.dlq()));
            sent.add(send(producer, "ratelimiter", backfill.resolved(), backfill.dlq()));
            sent.add(send(producer, "fetcher", backfill.fetch(), backfill.dlq()));
            sent.add(send(producer, "records-sink", backfill.records(), backfill.dlq()));
            sent.add(send(producer, "flattener", cdc, etlDlq));
            sent.add(send(producer, "etl-sink", rows, etlDlq));
            sent.add(send(producer, "decider", dcb.api().commandsTopic(), dcb.dlqTopic()));
            sent.add(send(producer, "events-sink", dcb.api().eventsTopic(), dcb.dlqTopic()));

            Map<String, ConsumerRecord<byte[], byte[]>> dead = new HashMap<>();
            dead.putAll(readByStage(stack, backfill.dlq(), 4));
            dead.putAll(readByStage(stack, etlDlq, 2));
            dead.putAll(readByStage(stack, dcb.dlqTopic(), 2));

            assertThat(dead.keySet()).containsExactlyInAnyOrder("resolver", "ratelimiter", "fetcher", "records-sink",
                    "flattener", "etl-sink", "decider", "events-sink");
            for (Sent s : sent) {
                ConsumerRecord<byte[], byte[]> d = dead.get(s.stage());
                assertThat(d.topic()).as(s.stage()).isEqualTo(s.dlqTopic());
                assertThat(Arrays.stream(d.headers().toArray()).map(Header::key).filter(k -> k.startsWith(DeadLetter.PREFIX)))
                        .as(s.stage() + ": the contract's headers").contains(DeadLetter.TOPIC, DeadLetter.PARTITION,
                                DeadLetter.OFFSET, DeadLetter.STAGE, DeadLetter.REASON, DeadLetter.ERROR_CLASS,
                                DeadLetter.ERROR_MESSAGE);
                DeadLetterHeaders h = DeadLetter.read(d.headers());
                assertThat(h.sourceTopic()).as(s.stage()).isEqualTo(s.at().topic());
                assertThat(h.partition()).as(s.stage()).isEqualTo(s.at().partition());
                assertThat(h.offset()).as(s.stage()).isEqualTo(s.at().offset());
                assertThat(h.reason()).as(s.stage()).isEqualTo(DeadLetter.DESERIALIZATION);
                assertThat(h.errorClass()).as(s.stage()).isNotBlank();
                assertThat(h.errorMessage()).as(s.stage()).isNotBlank();
                assertThat(d.key()).as(s.stage() + ": key bytes").isEqualTo(s.key());
                assertThat(d.value()).as(s.stage() + ": value bytes").isEqualTo(s.value());
                assertThat(d.timestamp()).as(s.stage() + ": timestamp").isEqualTo(TIMESTAMP);
            }
            pipeline.assertHealthy();
            etlSink.assertRunning();

            sluiceDlq(stack, backfill, etlDlq, dcb, sent);
        }
    }

    /** The listing's counts, --show, and --replay --dry-run / --replay of one entry. */
    private static void sluiceDlq(TestStack stack, BackfillPipelineConfig backfill, String etlDlq, DcbServiceConfig dcb,
                                  List<Sent> sent) throws Exception {
        JsonNode listing = JSON.readTree(run(stack, "dlq", "--topic", backfill.dlq(), "--json").ok());
        JsonNode topic = listing.get("topics").get(0);
        assertThat(topic.get("topic").asText()).isEqualTo(backfill.dlq());
        assertThat(topic.get("read").asLong()).isEqualTo(4);
        List<String> counts = new ArrayList<>();
        topic.get("counts").forEach(c -> counts.add(c.get("stage").asText() + "/" + c.get("reason").asText() + "="
                + c.get("entries").asLong()));
        assertThat(counts).containsExactlyInAnyOrder("resolver/deserialization=1", "ratelimiter/deserialization=1",
                "fetcher/deserialization=1", "records-sink/deserialization=1");

        String text = run(stack, "dlq", "--topic", dcb.dlqTopic()).ok();
        assertThat(text).contains(dcb.dlqTopic() + ": 2 entries").containsPattern("decider\\s+deserialization\\s+1")
                .containsPattern("events-sink\\s+deserialization\\s+1");

        String shown = run(stack, "dlq", "--topic", etlDlq, "--stage", "flattener", "--show", "5").ok();
        Sent flattener = sent.stream().filter(s -> s.stage().equals("flattener")).findFirst().orElseThrow();
        assertThat(shown).contains("stage=flattener reason=deserialization")
                .contains(DeadLetter.TOPIC + ": " + flattener.at().topic())
                .contains("value (text): " + new String(flattener.value(), StandardCharsets.UTF_8))
                .doesNotContain("stage=etl-sink");

        Sent decider = sent.stream().filter(s -> s.stage().equals("decider")).findFirst().orElseThrow();
        String dryRun = run(stack, "dlq", "--topic", dcb.dlqTopic(), "--stage", "decider", "--replay", "--dry-run").ok();
        assertThat(dryRun).contains("would send " + dcb.dlqTopic() + "-0@").contains("-> " + decider.at().topic())
                .contains("dry run: would replay 1 entry, nothing sent");
        assertThat(endOffset(stack, decider.at())).as("a dry run sends nothing").isEqualTo(decider.at().offset() + 1);

        Sent records = sent.stream().filter(s -> s.stage().equals("records-sink")).findFirst().orElseThrow();
        JsonNode replayed = JSON.readTree(run(stack, "dlq", "--topic", backfill.dlq(), "--stage", "records-sink",
                "--reason", "deserialization", "--replay", "--json").ok());
        JsonNode one = replayed.get("sent").get(0);
        assertThat(replayed.get("sent")).hasSize(1);
        assertThat(one.get("to").asText()).isEqualTo(records.at().topic());
        ConsumerRecord<byte[], byte[]> back = readAt(stack, records.at().topic(), one.get("partition").asInt(),
                one.get("offset").asLong());
        assertThat(back.key()).isEqualTo(records.key());
        assertThat(back.value()).isEqualTo(records.value());
        assertThat(new String(back.headers().lastHeader(DeadLetter.REPLAYED_FROM).value(), StandardCharsets.UTF_8))
                .isEqualTo(one.get("from").asText()).startsWith(backfill.dlq() + "-0@");
        assertThat(back.headers().lastHeader(DeadLetter.STAGE)).as("no dead-letter headers on a replay").isNull();
    }

    private static Sent send(KafkaProducer<byte[], byte[]> producer, String stage, String topic, String dlqTopic)
            throws Exception {
        byte[] key = ("key of " + stage).getBytes(StandardCharsets.UTF_8);
        byte[] value = ("not the wire format: " + stage).getBytes(StandardCharsets.UTF_8);
        RecordMetadata at = producer.send(new ProducerRecord<>(topic, 0, TIMESTAMP, key, value)).get();
        return new Sent(stage, dlqTopic, at, key, value);
    }

    /** The committed dead letters of {@code topic} by stage, once there are {@code expected}. */
    private static Map<String, ConsumerRecord<byte[], byte[]>> readByStage(TestStack stack, String topic, int expected)
            throws InterruptedException {
        Map<String, ConsumerRecord<byte[], byte[]>> byStage = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (byStage.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String stage = new String(r.headers().lastHeader(DeadLetter.STAGE).value(), StandardCharsets.UTF_8);
                    assertThat(byStage.put(stage, r)).as("a second dead letter from " + stage).isNull();
                }
            }
        }
        assertThat(byStage).as("dead letters in " + topic).hasSize(expected);
        return byStage;
    }

    private static ConsumerRecord<byte[], byte[]> readAt(TestStack stack, String topic, int partition, long offset) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack)) {
            TopicPartition tp = new TopicPartition(topic, partition);
            consumer.assign(List.of(tp));
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() == offset) return r;
                }
            }
            throw new AssertionError("nothing at " + topic + "-" + partition + "@" + offset);
        }
    }

    private static long endOffset(TestStack stack, RecordMetadata at) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(stack)) {
            TopicPartition tp = new TopicPartition(at.topic(), at.partition());
            return consumer.endOffsets(List.of(tp)).get(tp);
        }
    }

    private static SluiceRun run(TestStack stack, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--registry-url", stack.registryUrl()));
        return SluiceRun.of(stack, all.toArray(String[]::new));
    }

    private static KafkaProducer<byte[], byte[]> rawProducer(TestStack stack) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(TestStack stack) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, stack.unique("dlqit-reader"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The ETL sink's loop on a thread of its own, as {@code sluice etl-sink} runs it. */
    private record RunningSink(ExactlyOnceSink<Long, UserRows> sink, CompletableFuture<Void> loop) implements AutoCloseable {

        static RunningSink start(ExactlyOnceSink<Long, UserRows> sink) {
            return new RunningSink(sink, CompletableFuture.runAsync(sink::run,
                    task -> Thread.ofPlatform().daemon().name("dlqit-etl-sink").start(task)));
        }

        void assertRunning() {
            assertThat(loop.isDone()).as("the ETL sink's loop ended").isFalse();
        }

        @Override
        public void close() {
            sink.close();
        }
    }
}
