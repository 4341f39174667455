package io.sluice.sinks.core;

import io.sluice.common.dlq.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The default {@link ErrorReporter}. Consumes records a sink could not write; produces each one, with
 * its original key, value, timestamp and headers, to its dead-letter topic ({@link SinkConfig#dlqTopicFor})
 * with the {@link DeadLetter} headers (stage {@link SinkConfig#stage()}, a {@link SinkReason}).
 * Guarantees: idempotent producer with {@code acks=all}; a returned future completes only once the broker
 * has the record.
 */
public final class KafkaDeadLetterQueue implements ErrorReporter, AutoCloseable {

    private final SinkConfig config;
    private final Producer<byte[], byte[]> producer;

    public KafkaDeadLetterQueue(SinkConfig config) {
        this(config, new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** With a given producer (a {@code MockProducer} in tests); the queue closes it. */
    public KafkaDeadLetterQueue(SinkConfig config, Producer<byte[], byte[]> producer) {
        this.config = config;
        this.producer = producer;
    }

    @Override
    public CompletableFuture<Void> report(ConsumerRecord<byte[], byte[]> record, SinkReason reason, Exception error) {
        ProducerRecord<byte[], byte[]> dead = DeadLetter.record(config.dlqTopicFor(record.topic()), record, config.stage(),
                reason.code(), error);
        CompletableFuture<Void> acked = new CompletableFuture<>();
        producer.send(dead, (metadata, e) -> {
            if (e != null) acked.completeExceptionally(e);
            else acked.complete(null);
        });
        return acked;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    static Map<String, Object> producerProperties(SinkConfig config) {
        Map<String, Object> props = config.connection().producer();
        props.putAll(config.producerOverrides());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sluice-" + config.stage() + "-dlq");
        return props;
    }
}
