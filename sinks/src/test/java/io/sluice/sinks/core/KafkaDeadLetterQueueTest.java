package io.sluice.sinks.core;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.dlq.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaDeadLetterQueueTest {

    private final SinkConfig config = SinkConfig.builder("items-sink", "g", ConnectionSettings.plaintext("localhost:9092", null), "jdbc:postgresql://x/y")
            .topics("items").build();

    @Test
    void sendsTheOriginalBytesWithTheReasonInHeaders() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetterQueue dlq = new KafkaDeadLetterQueue(config, producer);
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("items", 2, 41, 1_700_000_000_000L,
                TimestampType.CREATE_TIME, 1, 1, utf8("k"), utf8("v"), new RecordHeaders(), Optional.empty());
        record.headers().add("trace", utf8("abc"));
        record.headers().add(DeadLetter.OFFSET, utf8("7")); // from an earlier dead-lettering

        CompletableFuture<Void> acked = dlq.report(record, SinkReason.INVALID_RECORD, new IllegalArgumentException("bad value"));
        assertThat(acked).isNotDone();
        producer.completeNext();
        assertThat(acked).isCompleted();

        ProducerRecord<byte[], byte[]> sent = producer.history().getFirst();
        assertThat(sent.topic()).isEqualTo("items.dlq");
        assertThat(sent.key()).isEqualTo(utf8("k"));
        assertThat(sent.value()).isEqualTo(utf8("v"));
        assertThat(sent.timestamp()).isEqualTo(1_700_000_000_000L);
        Map<String, String> headers = new HashMap<>();
        for (Header h : sent.headers()) headers.merge(h.key(), new String(h.value(), StandardCharsets.UTF_8), (a, b) -> a + "," + b);
        assertThat(headers).containsEntry("trace", "abc")
                .containsEntry(DeadLetter.TOPIC, "items")
                .containsEntry(DeadLetter.PARTITION, "2")
                .containsEntry(DeadLetter.OFFSET, "41")
                .containsEntry(DeadLetter.ERROR_CLASS, IllegalArgumentException.class.getName())
                .containsEntry(DeadLetter.ERROR_MESSAGE, "bad value")
                .containsEntry(DeadLetter.STAGE, "items-sink")
                .containsEntry(DeadLetter.REASON, "invalid-record");
    }

    @Test
    void aFailedSendFailsTheFuture() {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaDeadLetterQueue dlq = new KafkaDeadLetterQueue(config, producer);
        CompletableFuture<Void> acked = dlq.report(new ConsumerRecord<>("items", 0, 0, null, null),
                SinkReason.DESERIALIZATION, new RuntimeException());
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker down"));
        assertThat(acked).isCompletedExceptionally();
    }

    @Test
    void theReasonFollowsThePostgresqlErrorClass() {
        assertThat(SinkReason.of(new java.sql.SQLException("dup", "23505"))).isEqualTo(SinkReason.CONSTRAINT_VIOLATION);
        assertThat(SinkReason.of(new java.sql.SQLException("range", "22003"))).isEqualTo(SinkReason.INVALID_VALUE);
        assertThat(SinkReason.of(new java.sql.SQLException("raised", "P0001"))).isEqualTo(SinkReason.REJECTED_BY_DATABASE);
        assertThat(SinkReason.of(new IllegalArgumentException("key is not the user"))).isEqualTo(SinkReason.INVALID_RECORD);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
