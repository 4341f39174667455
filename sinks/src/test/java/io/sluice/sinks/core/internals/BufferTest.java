package io.sluice.sinks.core.internals;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.sluice.sinks.core.internals.Records.pending;
import static org.assertj.core.api.Assertions.assertThat;

class BufferTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void isDueOnSize() {
        Buffer<String, String> buffer = new Buffer<>(3, Duration.ofHours(1));
        buffer.add(pending("t", 0, 0), 0);
        buffer.add(pending("t", 0, 1), 0);
        assertThat(buffer.isDue(0)).isFalse();
        buffer.add(pending("t", 0, 2), 0);
        assertThat(buffer.isDue(0)).isTrue();
    }

    @Test
    void isDueWhenTheOldestRecordHasWaitedTheInterval() {
        Buffer<String, String> buffer = new Buffer<>(100, Duration.ofSeconds(2));
        assertThat(buffer.isDue(10 * SECOND)).as("empty is never due").isFalse();
        assertThat(buffer.untilDue(10 * SECOND)).isEqualTo(Duration.ofSeconds(2));
        buffer.add(pending("t", 0, 0), 10 * SECOND);
        buffer.add(pending("t", 0, 1), 11 * SECOND);
        assertThat(buffer.isDue(11 * SECOND)).isFalse();
        assertThat(buffer.untilDue(11 * SECOND)).isEqualTo(Duration.ofSeconds(1));
        assertThat(buffer.isDue(12 * SECOND)).isTrue();
        assertThat(buffer.untilDue(13 * SECOND)).isEqualTo(Duration.ZERO);
    }

    @Test
    void drainTakesEverythingAndRestartsTheClock() {
        Buffer<String, String> buffer = new Buffer<>(100, Duration.ofSeconds(2));
        buffer.add(pending("t", 0, 0), 0);
        Batch<String, String> batch = buffer.drain();
        assertThat(batch.size()).isEqualTo(1);
        assertThat(buffer.size()).isZero();
        buffer.add(pending("t", 0, 1), 5 * SECOND);
        assertThat(buffer.isDue(6 * SECOND)).isFalse();
    }

    @Test
    void removeDropsOnlyTheRevokedPartitions() {
        Buffer<String, String> buffer = new Buffer<>(100, Duration.ofSeconds(2));
        buffer.add(pending("t", 0, 0), 0);
        buffer.add(pending("t", 1, 0), 0);
        buffer.add(pending("u", 0, 0), 0);
        buffer.remove(List.of(new TopicPartition("t", 1), new TopicPartition("x", 0)));
        assertThat(buffer.drain().partitions())
                .containsExactlyInAnyOrder(new TopicPartition("t", 0), new TopicPartition("u", 0));
    }
}
