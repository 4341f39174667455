package io.sluice.dcb.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrpcConfigTest {

    @Test
    void theDefaultsAreValidAndPortZeroMeansAnyFreePort() {
        assertThat(GrpcConfig.defaults(0).port()).isZero();
        assertThat(GrpcConfig.defaults(9090).maxInFlightPerStream()).isEqualTo(64);
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingIt() {
        assertThatThrownBy(() -> GrpcConfig.defaults(70_000)).hasMessageContaining("--grpc-port");
        assertThatThrownBy(() -> GrpcConfig.defaults(0).withMaxSubscriptions(0)).hasMessageContaining("maxSubscriptions");
        assertThatThrownBy(() -> GrpcConfig.defaults(0).withHeartbeat(Duration.ZERO)).hasMessageContaining("heartbeat");
    }
}
