package io.sluice.cli.secure;

import io.sluice.testing.secure.SecuredKafka;
import io.sluice.testing.secure.WithSecuredKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command given a wrong SCRAM password through {@code --command-config} fails at start within seconds,
 * not after minutes of silent retries, with an error that names the listener and the mechanism and
 * prints neither the password nor the JAAS config.
 */
@WithSecuredKafka
class WrongPasswordIT {

    private static final String WRONG = "wrong-password-31337";
    private static final Duration FAST = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"lag", "publish-dids", "dcb-api"})
    void failsFastNamingListenerAndMechanism(String command, SecuredKafka kafka) throws Exception {
        Path config = SecuredKafka.writeCommandConfig(dir.resolve("client.properties"), kafka.saslSslProperties(WRONG));
        Path dids = Files.writeString(dir.resolve("dids.txt"), "did:plc:aaaaaaaaaaaaaaaaaaaaaaaa\n");
        String[] args = switch (command) {
            case "lag" -> new String[]{"lag", "--bootstrap-server", kafka.bootstrapServers(), "--command-config", config.toString()};
            case "publish-dids" -> new String[]{"publish-dids", dids.toString(), "--bootstrap-server", kafka.bootstrapServers(),
                    "--registry-url", "http://127.0.0.1:9/apis/ccompat/v7", "--command-config", config.toString()};
            // the check comes before the stack: nothing answers at the registry and PostgreSQL addresses
            default -> new String[]{"dcb-api", "--port", "0", "--bootstrap-server", kafka.bootstrapServers(),
                    "--registry-url", "http://127.0.0.1:9/apis/ccompat/v7", "--pg-url", "jdbc:postgresql://127.0.0.1:9/none",
                    "--command-config", config.toString()};
        };

        CliRun run = CliRun.of(args);

        System.out.printf("%s with a wrong password: exit %d after %d ms%n", command, run.exit(), run.took().toMillis());
        assertThat(run.exit()).as(run.output()).isNotZero().isNotEqualTo(2);
        assertThat(run.took()).as("fails fast").isLessThan(FAST);
        assertThat(run.err()).contains("cannot authenticate to " + kafka.bootstrapServers()
                + " (security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512): invalid credentials");
        assertThat(run.output()).doesNotContain(WRONG).doesNotContain(kafka.password()).doesNotContain("ScramLoginModule");
    }

    @Test
    void rightPasswordPassesTheCheck(SecuredKafka kafka) {
        Map<String, String> props = new HashMap<>(kafka.saslSslProperties(kafka.password()));
        Path config = SecuredKafka.writeCommandConfig(dir.resolve("client.properties"), props);

        CliRun run = CliRun.of("lag", "--bootstrap-server", kafka.bootstrapServers(), "--command-config", config.toString(),
                "--interval", "100ms");

        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain(kafka.password());
    }
}
