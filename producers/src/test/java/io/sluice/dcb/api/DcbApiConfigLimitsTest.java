package io.sluice.dcb.api;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.dcb.rules.DcbLimits;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The body limit and the command producer's max.request.size are checked against each other at start-up. */
class DcbApiConfigLimitsTest {

    private static final String REGISTRY = "http://localhost:8081/apis/ccompat/v7";

    private static DcbApiConfig config(Map<String, String> clientProperties) {
        ConnectionSettings plain = ConnectionSettings.plaintext("localhost:9092", REGISTRY);
        return DcbApiConfig.defaults(0, new ConnectionSettings("localhost:9092", clientProperties, plain.registry()),
                "jdbc:postgresql://localhost/db", "", "");
    }

    @Test
    void theProducersRequestSizeIsDerivedFromTheBodyLimitWithRoomForTheEnvelope() {
        DcbApiConfig config = config(Map.of());
        assertThat(config.limits().maxBodyBytes()).isEqualTo(1_032_192);
        assertThat(config.producerMaxRequestSize()).isEqualTo(1 << 20)
                .isEqualTo(config.limits().maxBodyBytes() + ApiLimits.COMMAND_ENVELOPE_BYTES);
        ApiLimits larger = new ApiLimits(DcbLimits.defaults(), 4 << 20, 1000, 10_000);
        assertThat(config.withLimits(larger).producerMaxRequestSize()).isEqualTo((4 << 20) + ApiLimits.COMMAND_ENVELOPE_BYTES);
    }

    @Test
    void aConfiguredRequestSizeThatCannotTakeTheLargestBodyStopsTheStart() {
        assertThatThrownBy(() -> config(Map.of("max.request.size", "500000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-body-bytes 1032192 plus 16384 bytes")
                .hasMessageContaining("max.request.size 500000")
                .hasMessageContaining("at most 483616");
        DcbApiConfig fits = config(Map.of("max.request.size", "2000000"));
        assertThat(fits.producerMaxRequestSize()).isEqualTo(2_000_000);
        assertThat(fits.withLimits(new ApiLimits(DcbLimits.defaults(), 400_000, 1000, 10_000)).limits().maxBodyBytes())
                .isEqualTo(400_000);
    }

    @Test
    void readLimitsAreValidated() {
        assertThatThrownBy(() -> new ApiLimits(DcbLimits.defaults(), 1 << 20, 20_000, 10_000))
                .hasMessageContaining("--read-default-limit must be 1..--read-max-limit (10000), got 20000");
        assertThatThrownBy(() -> new ApiLimits(DcbLimits.defaults(), 10, 1, 1)).hasMessageContaining("--max-body-bytes");
        assertThatThrownBy(() -> new DcbLimits(0, 1, 1, 1, 1, 1, 1)).hasMessageContaining("maxEventsPerAppend must be 1..");
    }
}
