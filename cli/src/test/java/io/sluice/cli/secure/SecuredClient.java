package io.sluice.cli.secure;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.client.RegistrySettings;
import io.sluice.testing.TestStack;
import io.sluice.testing.secure.AuthenticatingProxy;
import io.sluice.testing.secure.SecuredKafka;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user of a managed cluster has: a {@code client.properties} with SASL_SSL/SCRAM-SHA-512, the
 * cluster's CA and the registry's Basic credentials, the registry reached only through an authenticating
 * proxy in front of the stack's registry, and the secured listener's address alone. Commands get
 * {@link #args()}; in-process stages get {@link #settings()}, loaded from the same file as the commands load it.
 */
public final class SecuredClient implements AutoCloseable {

    private static final String REGISTRY_USER = "sluice-registry";

    private final SecuredKafka kafka;
    private final AuthenticatingProxy proxy;
    private final Path commandConfig;
    private final ConnectionSettings settings;

    private SecuredClient(SecuredKafka kafka, AuthenticatingProxy proxy, Path commandConfig) {
        this.kafka = kafka;
        this.proxy = proxy;
        this.commandConfig = commandConfig;
        this.settings = ConnectionSettings.load(kafka.bootstrapServers(), null, commandConfig);
    }

    public static SecuredClient create(SecuredKafka kafka, TestStack stack, Path dir) {
        String registryPassword = "registry-" + stack.unique("pw");
        AuthenticatingProxy proxy = AuthenticatingProxy.start(stack.registryUrl(), REGISTRY_USER, registryPassword,
                stack.unique("unused-token"));
        Map<String, String> file = new HashMap<>(kafka.saslSslProperties(kafka.password()));
        file.put(RegistrySettings.URL, proxy.url());
        file.put(RegistrySettings.BASIC_SOURCE, "USER_INFO");
        file.put(RegistrySettings.BASIC_USER_INFO, REGISTRY_USER + ":" + registryPassword);
        return new SecuredClient(kafka, proxy, SecuredKafka.writeCommandConfig(dir.resolve("client.properties"), file));
    }

    /** The connection options of a command: the secured listener and the file, nothing else. */
    public List<String> args() {
        return List.of("--bootstrap-server", kafka.bootstrapServers(), "--command-config", commandConfig.toString());
    }

    public ConnectionSettings settings() {
        return settings;
    }

    /**
     * The run went the secured way: clients had only the SASL_SSL listener's address (whose metadata
     * advertises only itself, so a client without the TLS and SCRAM settings could not have worked),
     * and the registry answered only through the proxy, with credentials.
     */
    public void assertSecuredPathUsed() {
        assertThat(settings.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
        assertThat(settings.secured()).isTrue();
        assertThat(proxy.authorized()).as("registry requests authorized by the proxy").isPositive();
        assertThat(proxy.refused()).as("registry requests refused by the proxy").isZero();
    }

    public long registryRequests() {
        return proxy.authorized();
    }

    @Override
    public void close() {
        proxy.close();
    }
}
