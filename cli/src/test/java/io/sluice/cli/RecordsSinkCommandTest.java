package io.sluice.cli;

import io.sluice.sinks.backfill.RecordsSinkTopics;
import io.sluice.sinks.core.SinkCounters;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordsSinkCommandTest {

    @Test
    void statusLineCountsRecordsAndStatusesApart() {
        SinkCounters counters = new SinkCounters(1_250, 3, 4, 0, 0,
                Map.of(RecordsSinkTopics.DEFAULT.records(), 1_200L, RecordsSinkTopics.DEFAULT.status(), 50L));

        assertThat(RecordsSinkCommand.describe(counters))
                .startsWith("1,200 records written, 50 statuses written, 3 batches, 4 to the DLQ");
    }
}
