package io.sluice.dcb.decider;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.common.dlq.DeadLetterHeaders;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topics;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.sluice.dcb.decider.CommandFixtures.append;
import static io.sluice.dcb.decider.CommandFixtures.conditional;
import static io.sluice.dcb.decider.CommandFixtures.event;
import static io.sluice.dcb.decider.CommandFixtures.failIf;
import static io.sluice.dcb.decider.CommandFixtures.item;
import static io.sluice.dcb.decider.CommandFixtures.retry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decider application against the real broker and registry, exactly-once: a thousand
 * generated commands decided exactly as the reference store decides them, seen through
 * read_committed consumers; unreadable commands in dcb.dlq; and, after a restart on an empty
 * state directory, the index restored from its changelogs.
 */
@WithSluiceStack
class DeciderIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final int COMMANDS = 1000;

    @Test
    void decidesAThousandCommandsAndRestoresTheIndexAfterARestart(TestStack stack, @TempDir Path stateDir,
                                                                   @TempDir Path freshStateDir) throws Exception {
        DeciderConfig config = DeciderConfig.defaults(stack.connection())
                .withApplicationId(stack.unique("dcb-decider-it"))
                .withTopics(stack.unique("dcb.commands"), stack.unique("dcb.events"), stack.unique("dcb.results"),
                        stack.unique("dcb.dlq"))
                .withStateDir(stateDir)
                .withReplicationFactor(1);
        createTopics(stack, config);
        Topics topics = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true);
        DeciderScenario scenario = DeciderScenario.generate(7, COMMANDS);
        assertThat(scenario.outcomeCounts()).containsKeys(AppendOutcome.values());
        byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);

        List<AppendResult> results;
        List<Event> events;
        try (DeciderApp app = DeciderApp.start(config);
             KafkaProducer<String, AppendCommand> producer = commandProducer(stack, topics);
             KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(producerProps(stack), new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            assertThat(app.awaitRunning(TIMEOUT)).as("decider running").isTrue();
            List<AppendCommand> commands = scenario.commands();
            // The fixed key puts every command on one partition; the unreadable record goes there too.
            int partition = send(producer, config, commands.get(0)).partition();
            for (int i = 1; i < commands.size(); i++) {
                if (i == COMMANDS / 2) raw.send(new ProducerRecord<>(config.commandsTopic(), partition, null, garbage)).get();
                send(producer, config, commands.get(i));
            }
            producer.flush();
            raw.send(new ProducerRecord<>(config.commandsTopic(), partition, null, garbage)).get();

            results = values(readCommitted(stack, config.resultsTopic(), topics.dcbResults().valueSerde().deserializer(), COMMANDS));
            events = values(readCommitted(stack, config.eventsTopic(), topics.dcbEvents().valueSerde().deserializer(),
                    scenario.eventCount()));
            scenario.assertDecidedAsExpected(results, events);

            // Both unreadable records, the last one too: a skipped record's transaction still commits.
            List<ConsumerRecord<byte[], byte[]>> dead = readCommitted(stack, config.dlqTopic(), new ByteArrayDeserializer(), 2);
            assertThat(dead).extracting(ConsumerRecord::value).containsExactly(garbage, garbage);
            assertThat(DeadLetter.read(dead.get(0).headers())).extracting(DeadLetterHeaders::sourceTopic,
                    DeadLetterHeaders::stage, DeadLetterHeaders::reason)
                    .containsExactly(config.commandsTopic(), "decider", "deserialization");
        }

        // Restart with no local state: the stores come back from their changelog topics.
        Event last = events.get(events.size() - 1);
        try (DeciderApp app = DeciderApp.start(config.withStateDir(freshStateDir));
             KafkaProducer<String, AppendCommand> producer = commandProducer(stack, topics)) {
            assertThat(app.awaitRunning(TIMEOUT)).as("restarted decider running").isTrue();
            DeciderScenario.Step keyedAppend = scenario.steps().stream()
                    .filter(s -> s.command().getIdempotencyKey() != null && s.outcome() == AppendOutcome.APPENDED)
                    .findFirst().orElseThrow();
            List<AppendCommand> afterRestart = List.of(
                    conditional("after-restart-1", failIf(last.getPosition() - 1, item(List.of(last.getType()), last.getTags())),
                            event("X")),
                    conditional("after-restart-2", failIf(last.getPosition(), item(List.of(last.getType()), last.getTags())),
                            event("Y")),
                    retry(keyedAppend.command(), "after-restart-3"),
                    append("after-restart-4", event("Z")));
            for (AppendCommand command : afterRestart) send(producer, config, command);
            producer.flush();

            List<AppendResult> all = values(readCommitted(stack, config.resultsTopic(),
                    topics.dcbResults().valueSerde().deserializer(), COMMANDS + afterRestart.size()));
            Map<String, AppendResult> byRequest = new HashMap<>();
            all.forEach(r -> byRequest.put(r.getRequestId(), r));
            assertThat(byRequest.get("after-restart-1").getOutcome()).isEqualTo(AppendOutcome.CONDITION_FAILED);
            assertThat(byRequest.get("after-restart-2").getFirstPosition()).isEqualTo(last.getPosition() + 1);
            assertThat(byRequest.get("after-restart-3").getFirstPosition()).as("idempotency keys restored")
                    .isEqualTo(keyedAppend.first());
            assertThat(byRequest.get("after-restart-4").getFirstPosition()).isEqualTo(last.getPosition() + 2);
        }
    }

    private static RecordMetadata send(KafkaProducer<String, AppendCommand> producer, DeciderConfig config,
                                       AppendCommand command) throws Exception {
        return producer.send(new ProducerRecord<>(config.commandsTopic(), Topics.DCB_COMMAND_KEY, command)).get();
    }

    private static void createTopics(TestStack stack, DeciderConfig config) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(
                    new NewTopic(config.commandsTopic(), 3, (short) 1),
                    // One partition: the log reads back in position order.
                    new NewTopic(config.eventsTopic(), 1, (short) 1),
                    new NewTopic(config.resultsTopic(), 3, (short) 1),
                    new NewTopic(config.dlqTopic(), 1, (short) 1))).all().get();
        }
    }

    private static KafkaProducer<String, AppendCommand> commandProducer(TestStack stack, Topics topics) {
        return new KafkaProducer<>(producerProps(stack), topics.dcbCommands().keySerde().serializer(),
                topics.dcbCommands().valueSerde().serializer());
    }

    private static Map<String, Object> producerProps(TestStack stack) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all");
    }

    /** Reads {@code topic} from the start with read_committed until {@code count} records arrived, partition by partition. */
    private static <V> List<ConsumerRecord<byte[], V>> readCommitted(TestStack stack, String topic, Deserializer<V> values,
                                                                     int count) {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertThat(records).as("records read from %s", topic).hasSize(count);
        return records;
    }

    private static <V> List<V> values(List<ConsumerRecord<byte[], V>> records) {
        return records.stream().map(ConsumerRecord::value).toList();
    }
}
