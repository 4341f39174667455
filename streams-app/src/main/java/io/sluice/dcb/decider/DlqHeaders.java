package io.sluice.dcb.decider;

import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;

/**
 * The headers a dead-lettered record carries (UTF-8 strings), so an operator can find the original
 * record and see why it was set aside. The record's key and value are the original bytes.
 */
public final class DlqHeaders {

    public static final String REASON = "sluice.dlq.reason";
    public static final String SOURCE_TOPIC = "sluice.dlq.source.topic";
    public static final String SOURCE_PARTITION = "sluice.dlq.source.partition";
    public static final String SOURCE_OFFSET = "sluice.dlq.source.offset";

    private DlqHeaders() {
    }

    /** Adds the four headers to {@code headers} and returns it. */
    public static Headers add(Headers headers, String reason, String topic, int partition, long offset) {
        return headers.add(REASON, utf8(reason))
                .add(SOURCE_TOPIC, utf8(topic))
                .add(SOURCE_PARTITION, utf8(Integer.toString(partition)))
                .add(SOURCE_OFFSET, utf8(Long.toString(offset)));
    }

    private static byte[] utf8(String value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
