package io.sluice.etl.flatten;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;

/**
 * The headers of a record sent to the dead-letter topic: the same {@code sluice.dlq.*} names as the
 * sinks' dead-letter queue, so one tool reads every stage's DLQ. The original record's own headers
 * are kept, except earlier {@code sluice.dlq.*} ones.
 */
final class DlqHeaders {

    static final String PREFIX = "sluice.dlq.";
    static final String TOPIC = PREFIX + "topic";
    static final String PARTITION = PREFIX + "partition";
    static final String OFFSET = PREFIX + "offset";
    static final String ERROR_CLASS = PREFIX + "error.class";
    static final String ERROR_MESSAGE = PREFIX + "error.message";
    static final String STAGE = PREFIX + "stage";
    static final String STAGE_NAME = "flattener";

    private DlqHeaders() {
    }

    static Headers of(Headers original, String topic, int partition, long offset, Exception error) {
        RecordHeaders headers = new RecordHeaders();
        original.forEach(h -> {
            if (!h.key().startsWith(PREFIX)) headers.add(h);
        });
        headers.add(TOPIC, utf8(topic));
        headers.add(PARTITION, utf8(Integer.toString(partition)));
        headers.add(OFFSET, utf8(Long.toString(offset)));
        headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, utf8(String.valueOf(error.getMessage())));
        headers.add(STAGE, utf8(STAGE_NAME));
        return headers;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
