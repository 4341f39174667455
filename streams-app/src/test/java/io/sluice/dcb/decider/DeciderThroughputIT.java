package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.sluice.dcb.decider.CommandFixtures.conditional;
import static io.sluice.dcb.decider.CommandFixtures.event;
import static io.sluice.dcb.decider.CommandFixtures.failIf;
import static io.sluice.dcb.decider.CommandFixtures.item;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rough measure, not a benchmark: how fast the decider drains a backlog of conditional appends
 * on the embedded stack (shared with everything else on the machine, so compare runs, not
 * numbers). Opt-in: {@code -Dsluice.throughput=true}; {@code -Dsluice.throughput.commands=N},
 * {@code -Dsluice.throughput.store=in_memory}.
 */
@WithSluiceStack
@EnabledIfSystemProperty(named = "sluice.throughput", matches = "true")
class DeciderThroughputIT {

    private static final Logger log = LoggerFactory.getLogger(DeciderThroughputIT.class);

    @Test
    void drainsABacklogOfConditionalAppends(TestStack stack, @TempDir Path stateDir) throws Exception {
        int count = Integer.getInteger("sluice.throughput.commands", 50_000);
        StoreType storeType = StoreType.parse(System.getProperty("sluice.throughput.store", "rocksdb"));
        DeciderConfig config = DeciderConfig.defaults(stack.connection())
                .withApplicationId(stack.unique("dcb-throughput")).withStoreType(storeType)
                .withTopics(stack.unique("dcb.commands"), stack.unique("dcb.events"), stack.unique("dcb.results"),
                        stack.unique("dcb.dlq"))
                .withStateDir(stateDir).withReplicationFactor(1);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(config.commandsTopic(), 1, (short) 1),
                    new NewTopic(config.eventsTopic(), 1, (short) 1), new NewTopic(config.resultsTopic(), 1, (short) 1),
                    new NewTopic(config.dlqTopic(), 1, (short) 1))).all().get();
        }
        Topics topics = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        Random random = new Random(1);
        try (KafkaProducer<String, AppendCommand> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                topics.dcbCommands().keySerde().serializer(), topics.dcbCommands().valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                String course = "course:c" + random.nextInt(1000);
                String student = "student:s" + random.nextInt(10_000);
                producer.send(new ProducerRecord<>(config.commandsTopic(), Topics.DCB_COMMAND_KEY,
                        conditional("t-" + i, failIf((long) Math.max(0, i - 1 - random.nextInt(50)),
                                        item(List.of("CourseDefined", "CourseCapacityChanged"), List.of(course)),
                                        item(List.of("StudentSubscribed"), List.of(course, student))),
                                event("StudentSubscribed", course, student))));
            }
        }
        long started;
        // -Dsluice.throughput.jfr=/tmp/x.jfr records a CPU profile of the drain.
        String jfr = System.getProperty("sluice.throughput.jfr");
        Recording recording = new Recording(Configuration.getConfiguration("profile"));
        if (jfr != null) recording.start();
        try (DeciderApp app = DeciderApp.start(config)) {
            assertThat(app.awaitRunning(Duration.ofSeconds(60))).isTrue();
            started = System.nanoTime();
            long seen = 0;
            try (KafkaConsumer<byte[], AppendResult> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                    ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                    new ByteArrayDeserializer(), topics.dcbResults().valueSerde().deserializer())) {
                TopicPartition tp = new TopicPartition(config.resultsTopic(), 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
                while (seen < count && System.nanoTime() < deadline) seen += consumer.poll(Duration.ofMillis(100)).count();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            log.info(String.format("throughput %s: %d commands in %.2f s = %.0f commands/s", storeType, seen, seconds, seen / seconds));
            assertThat(seen).isEqualTo(count);
        } finally {
            if (jfr != null) {
                recording.stop();
                recording.dump(Path.of(jfr));
            }
            recording.close();
        }
    }
}
