package io.sluice.sinks.core;

import io.sluice.common.client.ConnectionSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaDeadLetterQueueTest {

    private final SinkConfig config = SinkConfig.builder("items-sink", "g", ConnectionSettings.plaintext("localhost:9092", null), "jdbc:postgresql://x/y")
            .topics("items").build();

    @Test
    void sendsTheOriginalBytesWithTheReasonInHeaders() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetterQueue dlq = new KafkaDeadLetterQueue(config, producer);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("items", 2, 41, utf8("k"), utf8("v"));
        record.headers().add("trace", utf8("abc"));
        record.headers().add(KafkaDeadLetterQueue.HEADER_OFFSET, utf8("7")); // from an earlier dead-lettering

        CompletableFuture<Void> acked = dlq.report(record, new IllegalArgumentException("bad value"));
        assertThat(acked).isNotDone();
        producer.completeNext();
        assertThat(acked).isCompleted();

        ProducerRecord<byte[], byte[]> sent = producer.history().getFirst();
        assertThat(sent.topic()).isEqualTo("items.dlq");
        assertThat(sent.key()).isEqualTo(utf8("k"));
        assertThat(sent.value()).isEqualTo(utf8("v"));
        Map<String, String> headers = new HashMap<>();
        for (Header h : sent.headers()) headers.merge(h.key(), new String(h.value(), StandardCharsets.UTF_8), (a, b) -> a + "," + b);
        assertThat(headers).containsEntry("trace", "abc")
                .containsEntry(KafkaDeadLetterQueue.HEADER_TOPIC, "items")
                .containsEntry(KafkaDeadLetterQueue.HEADER_PARTITION, "2")
                .containsEntry(KafkaDeadLetterQueue.HEADER_OFFSET, "41")
                .containsEntry(KafkaDeadLetterQueue.HEADER_ERROR_CLASS, IllegalArgumentException.class.getName())
                .containsEntry(KafkaDeadLetterQueue.HEADER_ERROR_MESSAGE, "bad value")
                .containsEntry(KafkaDeadLetterQueue.HEADER_STAGE, "items-sink");
    }

    @Test
    void aFailedSendFailsTheFuture() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetterQueue dlq = new KafkaDeadLetterQueue(config, producer);
        CompletableFuture<Void> acked = dlq.report(new ConsumerRecord<>("items", 0, 0, null, null), new RuntimeException());
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));
        assertThat(acked).isCompletedExceptionally();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
