package io.sluice.schemas.registry;

import io.sluice.common.client.RegistrySettings;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.secure.AuthenticatingProxy;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry client with Basic and with Bearer credentials against the stack's real registry
 * (Apicurio) behind an authenticating proxy, as a managed registry is: the right credentials register and
 * read schemas; wrong ones fail at once with the 401, naming the auth mode and never the credential.
 */
@WithSluiceStack
class RegistryAuthProxyIT {

    private static final String USER = "registry-user";
    private static final String PASSWORD = "registry-pw-4711";
    private static final String TOKEN = "registry-token-0815";

    private final TestStack stack;
    private AuthenticatingProxy proxy;

    RegistryAuthProxyIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void startProxy() {
        proxy = AuthenticatingProxy.start(stack.registryUrl(), USER, PASSWORD, TOKEN);
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void basicCredentialsRegisterAndBearerTokenReads() {
        String subject = stack.unique("auth-proxy") + "-value";
        Schema schema = schema(subject);
        SchemaRegistryClient basic = HttpSchemaRegistryClient.create(basic(USER + ":" + PASSWORD));
        int id = basic.register(subject, schema);
        long afterRegister = proxy.authorized();

        SchemaRegistryClient bearer = HttpSchemaRegistryClient.create(bearer(TOKEN));
        assertThat(bearer.schemaById(id)).isEqualTo(schema);
        assertThat(bearer.lookup(subject, schema)).isEqualTo(id);

        assertThat(afterRegister).isPositive();
        assertThat(proxy.authorized()).isGreaterThan(afterRegister);
        assertThat(proxy.refused()).isZero();
    }

    @Test
    void wrongBasicPasswordIsA401WithoutThePassword() {
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(basic(USER + ":wrong-pw-1234"));
        assertThatThrownBy(() -> client.register(stack.unique("auth-proxy") + "-value", schema("x")))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("HTTP 401 Unauthorized")
                .hasMessageContaining("basic.auth.user.info")
                .message().doesNotContain("wrong-pw-1234").doesNotContain(USER + ":");
        assertThat(proxy.refused()).as("refused at once, not retried").isEqualTo(1);
        assertThat(proxy.authorized()).isZero();
    }

    @Test
    void wrongBearerTokenAndNoCredentialsAre401sWithoutTheToken() {
        SchemaRegistryClient wrongToken = HttpSchemaRegistryClient.create(bearer("not-the-token-999"));
        assertThatThrownBy(() -> wrongToken.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("bearer.auth.token")
                .message().doesNotContain("not-the-token-999");
        SchemaRegistryClient anonymous = HttpSchemaRegistryClient.create(proxy.url());
        assertThatThrownBy(() -> anonymous.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("no credentials were sent");
        assertThat(proxy.refused()).isEqualTo(2);
        assertThat(proxy.authorized()).isZero();
    }

    private RegistrySettings basic(String userInfo) {
        return new RegistrySettings(proxy.url(), Map.of(
                RegistrySettings.BASIC_SOURCE, "USER_INFO", RegistrySettings.BASIC_USER_INFO, userInfo));
    }

    private RegistrySettings bearer(String token) {
        return new RegistrySettings(proxy.url(), Map.of(
                RegistrySettings.BEARER_SOURCE, "STATIC_TOKEN", RegistrySettings.BEARER_TOKEN, token));
    }

    private static Schema schema(String name) {
        return SchemaBuilder.record("AuthProxy" + name.replaceAll("[^A-Za-z0-9]", "")).namespace("io.sluice.it")
                .fields().requiredString("name").endRecord();
    }
}
