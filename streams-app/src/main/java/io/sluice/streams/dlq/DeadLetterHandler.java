package io.sluice.streams.dlq;

import io.sluice.common.dlq.DeadLetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * The dead-letter handler of every sluice Kafka Streams application, for both kinds of failure (KIP-1033,
 * KIP-1034): a source record that cannot be deserialized (reason {@value DeadLetter#DESERIALIZATION}), and a
 * {@link RejectedRecordException} thrown while processing one (its reason). Either way the source record's
 * raw key and value bytes, timestamp and headers go to the dead-letter topic with the {@link DeadLetter}
 * headers, and processing continues. Streams writes the dead letter with the task's producer, so under
 * exactly-once it commits together with the offset that skips the record. Any other processing failure (a
 * bug, a broken store) fails the application.
 *
 * <p>Configured by {@link #configure(Map, String, String)}: the dead-letter topic is Streams' own
 * {@value StreamsConfig#ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG}, the stage {@value #STAGE_CONFIG}.
 */
public final class DeadLetterHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {

    /** Streams configuration key: the stage named in the {@value DeadLetter#STAGE} header. */
    public static final String STAGE_CONFIG = "sluice.dead.letter.stage";

    private static final Logger log = LoggerFactory.getLogger(DeadLetterHandler.class);

    private String dlqTopic;
    private String stage;

    /** Puts both handlers and their settings into a Streams configuration. */
    public static void configure(Map<? super String, ? super String> streamsProperties, String stage, String dlqTopic) {
        DeadLetter.requireCode(stage, "stage");
        streamsProperties.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        streamsProperties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandler.class.getName());
        streamsProperties.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, dlqTopic);
        streamsProperties.put(STAGE_CONFIG, stage);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        this.dlqTopic = required(configs, StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        this.stage = DeadLetter.requireCode(required(configs, STAGE_CONFIG), STAGE_CONFIG);
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                 ConsumerRecord<byte[], byte[]> record, Exception exception) {
        log.warn("{}: dead-lettering {}-{}@{} to {}, it cannot be deserialized: {}", stage, record.topic(),
                record.partition(), record.offset(), dlqTopic, exception.toString());
        Headers headers = DeadLetter.headers(record.headers(), stage, DeadLetter.DESERIALIZATION, record.topic(),
                record.partition(), record.offset(), exception);
        return DeserializationExceptionHandler.Response.resume(List.of(DeadLetter.record(dlqTopic, record, headers)));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        // A punctuation has no source record (topic null): nothing to dead-letter, so it is a failure of ours.
        if (!(exception instanceof RejectedRecordException rejected) || context.topic() == null) {
            log.error("{}: processing failed at node {} (topic {}, partition {}, offset {}); stopping", stage,
                    context.processorNodeId(), context.topic(), context.partition(), context.offset(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        String reason = rejected.reason().code();
        log.warn("{}: dead-lettering {}-{}@{} to {} ({}): {}", stage, context.topic(), context.partition(),
                context.offset(), dlqTopic, reason, rejected.getMessage());
        Headers headers = DeadLetter.headers(context.headers(), stage, reason, context.topic(), context.partition(),
                context.offset(), rejected);
        return ProcessingExceptionHandler.Response.resume(List.of(new ProducerRecord<>(dlqTopic, null,
                DeadLetter.timestamp(context.timestamp()), context.sourceRawKey(), context.sourceRawValue(), headers)));
    }

    private static String required(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new ConfigException(key + " must be set for " + DeadLetterHandler.class.getSimpleName());
        }
        return value.toString();
    }
}
