package io.sluice.etl.flatten;

import io.sluice.common.client.ConnectionSettings;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FlattenerAppSettingsTest {

    private final FlattenerConfig config = FlattenerConfig.defaults(ConnectionSettings.plaintext("k:9092", "http://r"));

    @Test
    void aKilledInstancesOpenTransactionIsAbortedWithinFiveSecondsOrThreeCommitIntervals() {
        assertThat(FlattenerApp.streamsProperties(config, Map.of())).containsEntry("producer.transaction.timeout.ms", 5_000)
                .containsEntry("processing.guarantee", "exactly_once_v2");
        assertThat(FlattenerApp.streamsProperties(config, Map.of("commit.interval.ms", 4_000)))
                .containsEntry("producer.transaction.timeout.ms", 12_000);
        assertThat(FlattenerApp.streamsProperties(config, Map.of("producer.transaction.timeout.ms", 20_000)))
                .containsEntry("producer.transaction.timeout.ms", 20_000);
    }

    @Test
    void rowBundlesLeaveInLargeBatchesAsTheyFillUnlessTheUserSaysOtherwise() {
        assertThat(FlattenerApp.streamsProperties(config, Map.of()))
                .containsEntry("producer.batch.size", 256 * 1024).containsEntry("producer.linger.ms", 5);
        assertThat(FlattenerApp.streamsProperties(config, Map.of("batch.size", 32_768, "producer.linger.ms", 50)))
                .containsEntry("batch.size", 32_768).doesNotContainKey("producer.batch.size")
                .containsEntry("producer.linger.ms", 50);
    }
}
