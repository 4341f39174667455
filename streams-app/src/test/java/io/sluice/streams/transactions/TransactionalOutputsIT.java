package io.sluice.streams.transactions;

import io.sluice.common.transactions.HangingTransactions;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against the real broker: the partitions a guard watches include the group's {@code __consumer_offsets}
 * partition, and a transaction that committed offsets there is seen open on it, so that a hanging one
 * can be aborted (its offsets would stay pending, and a restarted application would wait for them for ever).
 */
@WithSluiceStack
class TransactionalOutputsIT {

    @Test
    void theGroupsOffsetsPartitionIsWatchedAndAnOpenOffsetCommitIsSeenThere(TestStack stack) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "app-" + suffix;
        String sink = "out-" + suffix;
        try (Admin admin = Admin.create(stack.connection().admin())) {
            String input = "in-" + suffix;
            admin.createTopics(List.of(new NewTopic(sink, 1, (short) 1), new NewTopic(input, 1, (short) 1))).all()
                    .get(30, TimeUnit.SECONDS);
            Map<String, Object> consumerProps = new HashMap<>(stack.connection().groupConsumer());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer());
            Map<String, Object> props = new HashMap<>(stack.connection().producer());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-" + suffix);
            KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
            try (consumer) {
                consumer.subscribe(List.of(input));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (consumer.assignment().isEmpty() && System.nanoTime() < deadline) consumer.poll(Duration.ofMillis(100));
                assertThat(consumer.assignment()).as("the group's member has its partition").isNotEmpty();
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(sink, "k", "v"));
                producer.sendOffsetsToTransaction(Map.of(new TopicPartition(input, 0), new OffsetAndMetadata(0)),
                        consumer.groupMetadata());
                producer.flush();

                Collection<TopicPartition> watched = TransactionalOutputs.partitions(admin, Set.of(sink), group);
                TopicPartition offsets = watched.stream().filter(p -> p.topic().equals(Topic.GROUP_METADATA_TOPIC_NAME))
                        .findFirst().orElseThrow(() -> new AssertionError("no __consumer_offsets partition in " + watched));
                assertThat(watched).contains(new TopicPartition(sink, 0)).hasSize(2);

                List<HangingTransactions.Open> open = HangingTransactions.open(admin, watched, Duration.ofSeconds(10));
                assertThat(open).extracting(HangingTransactions.Open::partition)
                        .as("the transaction is open on the sink and on the group's offsets partition")
                        .containsExactlyInAnyOrder(new TopicPartition(sink, 0), offsets);
            } finally {
                producer.close(Duration.ofSeconds(5)); // aborts the open transaction
            }
        }
    }
}
