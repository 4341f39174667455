package io.sluice.common.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures the check can show without a broker; the authentication ones are in test-support's SecuredBrokerIT. */
class ClusterCheckTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"alice\" password=\"s3cret-pw\";";

    @Test
    void silentListenerFailsWithinTheTimeoutNamingAddressProtocolAndMechanism() throws IOException {
        // a socket that accepts connections and never answers: what a client sees from a wrong listener
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String bootstrap = "127.0.0.1:" + silent.getLocalPort();
            ConnectionSettings settings = new ConnectionSettings(bootstrap, Map.of(
                    "security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS),
                    null);
            long start = System.nanoTime();
            assertThatThrownBy(() -> ClusterCheck.verify(settings, Duration.ofSeconds(2)))
                    .isInstanceOf(ClusterCheckException.class)
                    .hasMessageStartingWith("no answer from " + bootstrap
                            + " (security.protocol=SASL_PLAINTEXT, sasl.mechanism=SCRAM-SHA-512) within 2 s")
                    .message().doesNotContain("s3cret-pw").doesNotContain("ScramLoginModule");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void clientThatCannotStartIsReportedWithoutItsSecrets() {
        ConnectionSettings settings = new ConnectionSettings("127.0.0.1:9", Map.of(
                "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", JAAS,
                "ssl.truststore.location", "/nonexistent/truststore.p12", "ssl.truststore.password", "trust-pw"),
                null);
        assertThatThrownBy(() -> ClusterCheck.verify(settings, Duration.ofSeconds(2)))
                .isInstanceOf(ClusterCheckException.class)
                .hasMessageStartingWith("cannot create a Kafka client for 127.0.0.1:9 "
                        + "(security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512): ")
                .message().doesNotContain("s3cret-pw").doesNotContain("trust-pw");
    }

    @Test
    void plaintextNamesNoMechanism() {
        assertThat(ClusterCheck.where(ConnectionSettings.plaintext("h:1", null)))
                .isEqualTo("h:1 (security.protocol=PLAINTEXT)");
        assertThat(ClusterCheck.where(new ConnectionSettings("h:1", Map.of("security.protocol", "SASL_SSL"), null)))
                .isEqualTo("h:1 (security.protocol=SASL_SSL, sasl.mechanism=GSSAPI)");
    }
}
