package io.sluice.dcb.decider;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Sends a record that cannot be deserialized (not Avro, unknown schema id, unreadable schema) to
 * the dead-letter topic named by {@value #DLQ_TOPIC_CONFIG}, with its original key, value and
 * headers plus {@link DlqHeaders}, and lets the application continue. Streams writes the DLQ
 * record in the task's transaction, so under exactly-once it is written once with the offset
 * commit that skips the bad record.
 */
public final class DlqDeserializationExceptionHandler implements DeserializationExceptionHandler {

    /** Streams configuration key naming the dead-letter topic. */
    public static final String DLQ_TOPIC_CONFIG = "sluice.dlq.topic";

    private static final Logger log = LoggerFactory.getLogger(DlqDeserializationExceptionHandler.class);

    private String dlqTopic;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(DLQ_TOPIC_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(DLQ_TOPIC_CONFIG + " must name the dead-letter topic for "
                    + DlqDeserializationExceptionHandler.class.getSimpleName());
        }
        this.dlqTopic = topic.toString();
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        String reason = "cannot deserialize: " + exception;
        log.warn("sending record {}-{}@{} to {}: {}", record.topic(), record.partition(), record.offset(), dlqTopic, reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DlqHeaders.add(headers, reason, record.topic(), record.partition(), record.offset());
        return Response.resume(List.of(new ProducerRecord<>(dlqTopic, null, record.key(), record.value(), headers)));
    }
}
