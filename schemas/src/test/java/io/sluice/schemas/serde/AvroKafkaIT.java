package io.sluice.schemas.serde;

import io.sluice.schemas.backfill.DidWorkItem;
import io.sluice.schemas.registry.HttpSchemaRegistryClient;
import io.sluice.schemas.topics.Topic;
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
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records through the real broker: produced with the typed topic's serdes, consumed by class-name configuration. */
@WithSluiceStack
class AvroKafkaIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void produceAndConsumeThroughTheBroker(TestStack stack) throws Exception {
        String name = stack.unique("backfill.dids");
        createTopic(stack, name);
        Topic<String, DidWorkItem> topic = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true)
                .backfillDids().withName(name);
        List<DidWorkItem> sent = List.of(
                new DidWorkItem("did:plc:a", "run", Instant.ofEpochMilli(1_000)),
                new DidWorkItem("did:plc:b", "run", Instant.ofEpochMilli(2_000)),
                new DidWorkItem("did:web:example.com", "run", Instant.ofEpochMilli(3_000)));

        try (KafkaProducer<String, DidWorkItem> producer = new KafkaProducer<>(producerProps(stack),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (DidWorkItem item : sent) producer.send(new ProducerRecord<>(name, item.getDid(), item)).get();
        }

        Map<String, Object> props = consumerProps(stack);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroDeserializer.class.getName());
        props.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
        props.put(AvroSerdeConfig.SPECIFIC_READER, "true");
        List<ConsumerRecord<Object, Object>> received = new ArrayList<>();
        try (KafkaConsumer<Object, Object> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(name));
            Instant deadline = Instant.now().plus(TIMEOUT);
            while (received.size() < sent.size() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(500)).forEach(received::add);
            }
        }
        assertThat(received).extracting(ConsumerRecord::key).containsExactly("did:plc:a", "did:plc:b", "did:web:example.com");
        assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
    }

    @Test
    void recordNotInTheWireFormatFailsNamingTopicPartitionAndOffset(TestStack stack) throws Exception {
        String name = stack.unique("backfill.dids");
        createTopic(stack, name);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(stack),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(name, null, "{\"did\":\"did:plc:a\"}".getBytes())).get();
        }
        Topic<String, DidWorkItem> topic = Topics.create(HttpSchemaRegistryClient.create(stack.registryUrl()), true)
                .backfillDids().withName(name);
        try (KafkaConsumer<String, DidWorkItem> consumer = new KafkaConsumer<>(consumerProps(stack),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(name));
            assertThatThrownBy(() -> {
                Instant deadline = Instant.now().plus(TIMEOUT);
                while (Instant.now().isBefore(deadline)) consumer.poll(Duration.ofMillis(500));
            })
                    .isInstanceOfSatisfying(RecordDeserializationException.class, e -> {
                        assertThat(e.topicPartition().topic()).isEqualTo(name);
                        assertThat(e.topicPartition().partition()).isZero();
                        assertThat(e.offset()).isZero();
                        assertThat(e).hasRootCauseInstanceOf(SerializationException.class)
                                .rootCause().hasMessageContaining("value of topic " + name
                                        + " is not in the Confluent wire format: magic byte 0x7b");
                    });
        }
    }

    private static void createTopic(TestStack stack, String name) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1))).all().get();
        }
    }

    private static Map<String, Object> producerProps(TestStack stack) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all");
    }

    private static Map<String, Object> consumerProps(TestStack stack) {
        Map<String, Object> props = new java.util.HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, stack.unique("avro-it"));
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }
}
