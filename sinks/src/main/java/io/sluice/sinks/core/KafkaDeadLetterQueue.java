package io.sluice.sinks.core;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The default {@link ErrorReporter}. Consumes records a sink could not write; produces each one, with
 * its original key, value and headers, to its dead-letter topic ({@link SinkConfig#dlqTopicFor}) with
 * {@code sluice.dlq.*} headers naming the source topic, partition, offset, error class and message and
 * the stage. Guarantees: idempotent producer with {@code acks=all}; a returned future completes only
 * once the broker has the record.
 */
public final class KafkaDeadLetterQueue implements ErrorReporter, AutoCloseable {

    public static final String HEADER_PREFIX = "sluice.dlq.";
    public static final String HEADER_TOPIC = HEADER_PREFIX + "topic";
    public static final String HEADER_PARTITION = HEADER_PREFIX + "partition";
    public static final String HEADER_OFFSET = HEADER_PREFIX + "offset";
    public static final String HEADER_ERROR_CLASS = HEADER_PREFIX + "error.class";
    public static final String HEADER_ERROR_MESSAGE = HEADER_PREFIX + "error.message";
    public static final String HEADER_STAGE = HEADER_PREFIX + "stage";

    /** Enough to read the cause; far below the broker's request size limit. */
    private static final int MAX_MESSAGE_CHARS = 4000;

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
    public CompletableFuture<Void> report(ConsumerRecord<byte[], byte[]> record, Exception error) {
        Headers headers = new RecordHeaders();
        for (Header h : record.headers()) {
            // A record replayed from a dead-letter topic keeps one set of sluice.dlq headers: the latest.
            if (!h.key().startsWith(HEADER_PREFIX)) headers.add(h);
        }
        headers.add(HEADER_TOPIC, utf8(record.topic()));
        headers.add(HEADER_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(HEADER_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(HEADER_ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(HEADER_ERROR_MESSAGE, utf8(message(error)));
        headers.add(HEADER_STAGE, utf8(config.stage()));
        // No timestamp: the dead letter is stamped now, so the DLQ's retention counts from the failure.
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(config.dlqTopicFor(record.topic()), null, null,
                record.key(), record.value(), headers);
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

    private static String message(Exception error) {
        String m = error.getMessage() == null ? error.toString() : error.getMessage();
        return m.length() > MAX_MESSAGE_CHARS ? m.substring(0, MAX_MESSAGE_CHARS) : m;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
