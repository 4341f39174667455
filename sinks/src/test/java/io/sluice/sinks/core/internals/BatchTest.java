package io.sluice.sinks.core.internals;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.sluice.sinks.core.internals.Records.pending;
import static io.sluice.sinks.core.internals.Records.raw;
import static org.assertj.core.api.Assertions.assertThat;

class BatchTest {

    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    @Test
    void knowsItsOffsetRangePerPartition() {
        Batch<String, String> batch = new Batch<>(List.of(pending("t", 0, 5), pending("t", 1, 40),
                pending("t", 0, 6), pending("t", 0, 9), pending("t", 1, 41)));
        assertThat(batch.firstOffsets()).isEqualTo(Map.of(T0, 5L, T1, 40L));
        assertThat(batch.nextOffsets()).isEqualTo(Map.of(T0, 10L, T1, 42L));
    }

    @Test
    void withoutDropsPartitionsAndKeepsOrder() {
        Batch<String, String> batch = new Batch<>(List.of(pending("t", 0, 5), pending("t", 1, 40), pending("t", 0, 6)));
        Batch<String, String> rest = batch.without(List.of(T1));
        assertThat(rest.records()).extracting(PendingRecord::offset).containsExactly(5L, 6L);
        assertThat(rest.nextOffsets()).isEqualTo(Map.of(T0, 7L));
        assertThat(batch.without(List.of(new TopicPartition("x", 0)))).isSameAs(batch);
        assertThat(batch.without(List.of(T0, T1)).isEmpty()).isTrue();
    }

    @Test
    void separatesUndecodableRecordsButCountsTheirOffsets() {
        Deserializer<String> picky = (topic, data) -> {
            String s = new String(data);
            if (s.startsWith("bad")) throw new IllegalArgumentException("not a value: " + s);
            return s;
        };
        Batch<String, String> batch = new Batch<>(List.of(
                PendingRecord.decode(raw("t", 0, 0, "a", "good"), new StringDeserializer(), picky),
                PendingRecord.decode(raw("t", 0, 1, "b", "bad"), new StringDeserializer(), picky)));
        assertThat(batch.decoded()).extracting(r -> r.value()).containsExactly("good");
        assertThat(batch.undecodable()).singleElement()
                .satisfies(r -> assertThat(r.decodeError()).hasMessage("not a value: bad"));
        assertThat(batch.nextOffsets()).isEqualTo(Map.of(T0, 2L));
    }
}
