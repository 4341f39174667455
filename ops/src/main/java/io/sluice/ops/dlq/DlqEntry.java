package io.sluice.ops.dlq;

import io.sluice.common.dlq.DeadLetter;
import io.sluice.common.dlq.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;

import java.util.Optional;

/**
 * One record of a dead-letter topic.
 *
 * @param topic      the dead-letter topic
 * @param partition  its partition there
 * @param offset     its offset there
 * @param timestamp  its timestamp (the source record's), epoch millis
 * @param key        the source record's key bytes, unchanged
 * @param value      the source record's value bytes, unchanged
 * @param headers    all its headers
 * @param deadLetter the parsed contract headers; empty for a record without them (written before the contract)
 */
public record DlqEntry(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                       Headers headers, Optional<DeadLetterHeaders> deadLetter) {

    /** Stage and reason of a record without the contract's headers. */
    public static final String UNKNOWN = "unknown";

    static DlqEntry of(ConsumerRecord<byte[], byte[]> r) {
        Optional<DeadLetterHeaders> parsed;
        try {
            parsed = Optional.of(DeadLetter.read(r.headers()));
        } catch (IllegalArgumentException e) {
            parsed = Optional.empty();
        }
        return new DlqEntry(r.topic(), r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), r.headers(), parsed);
    }

    public String stage() {
        return deadLetter.map(DeadLetterHeaders::stage).orElse(UNKNOWN);
    }

    public String reason() {
        return deadLetter.map(DeadLetterHeaders::reason).orElse(UNKNOWN);
    }

    /** {@code topic-partition@offset}, as a replayed record's {@value DeadLetter#REPLAYED_FROM} header says. */
    public String position() {
        return topic + "-" + partition + "@" + offset;
    }
}
