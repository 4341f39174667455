package io.sluice.backfill.ratelimit.internals;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Decides what a processing failure means: a {@link RejectedRecordException} sends the source
 * record, byte for byte, to the dead-letter topic ({@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG})
 * and processing continues; anything else (a bug, a broken store) fails the application. DLQ
 * records carry Kafka Streams' own error headers, the same ones its deserialization handler writes
 * for records that are not valid Avro: {@code __streams.errors.exception}, {@code .message},
 * {@code .topic}, {@code .partition}, {@code .offset}.
 */
public final class DeadLetterHandler implements ProcessingExceptionHandler {

    static final String EXCEPTION = "__streams.errors.exception";
    static final String MESSAGE = "__streams.errors.message";
    static final String TOPIC = "__streams.errors.topic";
    static final String PARTITION = "__streams.errors.partition";
    static final String OFFSET = "__streams.errors.offset";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String deadLetterTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        deadLetterTopic = topic == null || topic.toString().isBlank() ? null : topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (!(exception instanceof RejectedRecordException rejected)) {
            log.error("processing failed at node {} (topic {}, partition {}, offset {}); stopping", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), exception);
            return Response.fail();
        }
        log.warn("rejected record from topic {} partition {} offset {}: {}{}", context.topic(), context.partition(),
                context.offset(), rejected.getMessage(), deadLetterTopic == null ? " (no DLQ configured, dropped)" : "");
        if (deadLetterTopic == null) return Response.resume();
        Headers headers = new RecordHeaders();
        if (context.headers() != null) context.headers().forEach(headers::add);
        headers.add(EXCEPTION, bytes(rejected.getClass().getName()));
        headers.add(MESSAGE, bytes(rejected.getMessage()));
        headers.add(TOPIC, bytes(context.topic()));
        headers.add(PARTITION, bytes(Integer.toString(context.partition())));
        headers.add(OFFSET, bytes(Long.toString(context.offset())));
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, context.sourceRawKey(),
                context.sourceRawValue(), headers)));
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
