package io.sluice.cli;

import io.sluice.sinks.backfill.RecordsSinkTopics;
import io.sluice.sinks.core.SinkCounters;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecordsSinkCommandTest {

    @Test
    void theInstanceIdEndsTheConsumersClientId() {
        RecordsSinkCommand command = new RecordsSinkCommand();
        new CommandLine(command).parseArgs("--bootstrap-server", "k:9092", "--registry-url", "http://r",
                "--pg-url", "jdbc:postgresql://127.0.0.1:5432/db?user=u&password=p", "--instance-id", "node-2");
        assertThat(command.config().consumerOverrides()).containsEntry("client.id", "sluice-records-sink-node-2");
    }

    @Test
    void statusLineCountsRecordsAndStatusesApart() {
        SinkCounters counters = new SinkCounters(1_250, 3, 4, 0, 0,
                Map.of(RecordsSinkTopics.DEFAULT.records(), 1_200L, RecordsSinkTopics.DEFAULT.status(), 50L));

        assertThat(RecordsSinkCommand.describe(counters))
                .startsWith("1,200 records written, 50 statuses written, 3 batches, 4 to the DLQ");
    }
}
