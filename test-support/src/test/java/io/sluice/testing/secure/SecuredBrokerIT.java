package io.sluice.testing.secure;

import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ClusterCheckException;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.stack.kafka.BrokerOptions;
import io.sluice.stack.kafka.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The secured embedded broker is really secured: SCRAM-SHA-512 over TLS lets the right user in and turns a
 * wrong password away, and the mutual-TLS listener wants the client certificate the test CA signed.
 */
class SecuredBrokerIT {

    @TempDir
    static Path dir;
    static TestPki pki;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void start() {
        pki = TestPki.generate(dir);
        broker = EmbeddedKafkaBroker.start(
                BrokerOptions.saslSsl(pki.brokerTls(), Map.of("alice", "alice-secret")).withMutualTls());
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    @Test
    void scramUserWithTheRightPasswordGetsIn() throws Exception {
        try (Admin admin = Admin.create(scram("alice-secret"))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
    }

    @Test
    void wrongPasswordIsAnAuthenticationError() {
        try (Admin admin = Admin.create(scram("wrong"))) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(15_000))
                    .nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void mutualTlsNeedsTheClientCertificate() throws Exception {
        Map<String, Object> tls = tls(broker.sslBootstrapServers());
        Map<String, Object> withCertificate = new HashMap<>(tls);
        withCertificate.put("ssl.keystore.type", "PKCS12");
        withCertificate.put("ssl.keystore.location", pki.clientKeystore().toString());
        withCertificate.put("ssl.keystore.password", pki.password());
        try (Admin admin = Admin.create(withCertificate)) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
        }
        try (Admin admin = Admin.create(tls)) {
            assertThatThrownBy(() -> admin.describeCluster(new DescribeClusterOptions().timeoutMs(15_000))
                    .nodes().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SslAuthenticationException.class);
        }
    }

    @Test
    void clusterCheckPassesWithTheRightPasswordAndNamesListenerAndMechanismOnAWrongOne() {
        ClusterCheck.verify(settings(scram("alice-secret")));

        long start = System.nanoTime();
        assertThatThrownBy(() -> ClusterCheck.verify(settings(scram("wrong-pw-123"))))
                .isInstanceOf(ClusterCheckException.class)
                .hasMessage("cannot authenticate to " + broker.saslSslBootstrapServers()
                        + " (security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512): invalid credentials");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    void clusterCheckReportsAMissingClientCertificateAsATlsFailure() {
        assertThatThrownBy(() -> ClusterCheck.verify(settings(tls(broker.sslBootstrapServers()))))
                .isInstanceOf(ClusterCheckException.class)
                .hasMessageStartingWith("TLS handshake with " + broker.sslBootstrapServers() + " (security.protocol=SSL) failed: ");
    }

    /** The admin properties as a command's settings: bootstrap apart, the rest as client properties. */
    private static ConnectionSettings settings(Map<String, Object> admin) {
        Map<String, String> client = new HashMap<>();
        admin.forEach((k, v) -> client.put(k, String.valueOf(v)));
        String bootstrap = client.remove(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
        return new ConnectionSettings(bootstrap, client, null);
    }

    private static Map<String, Object> scram(String password) {
        Map<String, Object> p = tls(broker.saslSslBootstrapServers());
        p.put("security.protocol", "SASL_SSL");
        p.put("sasl.mechanism", "SCRAM-SHA-512");
        p.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"alice\" password=\"" + password + "\";");
        return p;
    }

    private static Map<String, Object> tls(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PKCS12");
        p.put("ssl.truststore.location", pki.truststore().toString());
        p.put("ssl.truststore.password", pki.password());
        return p;
    }
}
