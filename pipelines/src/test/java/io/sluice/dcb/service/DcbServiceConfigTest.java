package io.sluice.dcb.service;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.decider.DeciderApp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DcbServiceConfigTest {

    private final DcbServiceConfig config = DcbServiceConfig.defaults(DcbApiConfig.defaults(0,
            ConnectionSettings.plaintext("k:9092", "http://r"), "jdbc:postgresql://h/db", "", ""));

    @Test
    void theInstanceIdEndsTheDecidersAndTheEventsSinksClientIds() {
        DcbServiceConfig named = config.withInstanceId("node-2");
        assertThat(DeciderApp.streamsProperties(named.deciderConfig())).containsEntry("client.id", "sluice-dcb-decider-node-2");
        assertThat(named.sinkConfig().consumerOverrides()).containsEntry("client.id", "sluice-events-sink-node-2");
        assertThat(named.sinkConfig().producerOverrides()).containsEntry("client.id", "sluice-events-sink-node-2-dlq");
        assertThat(named.withStateDir(java.nio.file.Path.of("s")).instanceId()).contains("node-2");
    }

    @Test
    void withoutOneStreamsNamesTheDecidersClients() {
        assertThat(DeciderApp.streamsProperties(config.deciderConfig())).doesNotContainKey("client.id");
        assertThat(config.sinkConfig().consumerOverrides()).doesNotContainKey("client.id");
    }
}
