package io.sluice.sinks.core.internals;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.sinks.core.SinkCounters;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CountersTest {

    @Test
    void countsWrittenRecordsPerTopicBesideTheTotal() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Counters counters = new Counters(registry, "records-sink", "g")) {
            counters.committed(Map.of("backfill.records", 7, "backfill.status", 2), 1, Duration.ofMillis(5));
            counters.committed(Map.of("backfill.records", 3), 0, Duration.ofMillis(5));

            SinkCounters c = counters.snapshot();
            assertThat(c.recordsWritten()).isEqualTo(12);
            assertThat(c.writtenFrom("backfill.records")).isEqualTo(10);
            assertThat(c.writtenFrom("backfill.status")).isEqualTo(2);
            assertThat(c.writtenFrom("elsewhere")).isZero();
            assertThat(c.deadLettered()).isEqualTo(1);
            assertThat(registry.get(Counters.WRITTEN_BY_TOPIC).tag("topic", "backfill.status").functionCounter().count())
                    .isEqualTo(2);
            assertThat(registry.get(Counters.WRITTEN).functionCounter().count()).isEqualTo(12);
        }
        assertThat(registry.find(Counters.WRITTEN_BY_TOPIC).meters()).as("removed at close").isEmpty();
    }
}
