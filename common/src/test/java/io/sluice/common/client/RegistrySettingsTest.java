package io.sluice.common.client;

import io.sluice.common.client.RegistrySettings.AuthMode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrySettingsTest {

    private static final String URL = "https://registry.example.com/apis/ccompat/v7";

    @Test
    void plaintext_has_no_auth() {
        RegistrySettings settings = RegistrySettings.plaintext("http://127.0.0.1:8080/apis/ccompat/v7/");
        assertThat(settings.url()).isEqualTo("http://127.0.0.1:8080/apis/ccompat/v7");
        assertThat(settings.authMode()).isEqualTo(AuthMode.NONE);
        assertThat(settings.authorizationHeader()).isEmpty();
    }

    @Test
    void user_info_source_sends_basic_credentials() {
        RegistrySettings settings = new RegistrySettings(URL, Map.of(
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "alice:secret"));
        assertThat(settings.authMode()).isEqualTo(AuthMode.BASIC);
        assertThat(settings.authorizationHeader()).contains("Basic "
                + Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void the_prefixed_user_info_is_taken_too() {
        RegistrySettings settings = new RegistrySettings(URL, Map.of(
                "basic.auth.credentials.source", "USER_INFO", "schema.registry.basic.auth.user.info", "bob:pw"));
        assertThat(settings.basicUserInfo()).contains("bob:pw");
    }

    @Test
    void url_source_takes_the_user_info_from_the_url_and_sends_requests_without_it() {
        RegistrySettings settings = new RegistrySettings("https://carol:pw@registry.example.com/api",
                Map.of("basic.auth.credentials.source", "URL"));
        assertThat(settings.basicUserInfo()).contains("carol:pw");
        assertThat(settings.requestUrl()).isEqualTo("https://registry.example.com/api");
    }

    @Test
    void static_token_source_sends_a_bearer_token() {
        RegistrySettings settings = new RegistrySettings(URL, Map.of(
                "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", "tok"));
        assertThat(settings.authMode()).isEqualTo(AuthMode.BEARER);
        assertThat(settings.authorizationHeader()).contains("Bearer tok");
    }

    @Test
    void a_source_without_its_credential_is_refused_naming_the_property() {
        assertThatThrownBy(() -> new RegistrySettings(URL, Map.of("basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("basic.auth.user.info");
        assertThatThrownBy(() -> new RegistrySettings(URL, Map.of("bearer.auth.credentials.source", "STATIC_TOKEN")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bearer.auth.token");
        assertThatThrownBy(() -> new RegistrySettings(URL, Map.of("basic.auth.credentials.source", "URL")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("basic.auth.credentials.source=URL");
    }

    @Test
    void an_unknown_source_lists_the_allowed_ones() {
        assertThatThrownBy(() -> new RegistrySettings(URL, Map.of("basic.auth.credentials.source", "SASL_INHERIT")))
                .hasMessageContaining("USER_INFO or URL");
        assertThatThrownBy(() -> new RegistrySettings(URL, Map.of("bearer.auth.credentials.source", "OAUTHBEARER",
                "bearer.auth.token", "t"))).hasMessageContaining("STATIC_TOKEN");
    }

    @Test
    void basic_and_bearer_together_are_ambiguous() {
        assertThatThrownBy(() -> new RegistrySettings(URL, Map.of("basic.auth.user.info", "a:b", "bearer.auth.token", "t")))
                .hasMessageContaining("choose one");
    }

    @Test
    void a_missing_truststore_is_named() {
        assertThatThrownBy(() -> new RegistrySettings(URL, Map.of(
                "schema.registry.ssl.truststore.location", "/nonexistent/trust.p12")))
                .hasMessageContaining("schema.registry.ssl.truststore.location").hasMessageContaining("/nonexistent/trust.p12");
    }

    @Test
    void to_string_hides_credentials() {
        RegistrySettings settings = new RegistrySettings("https://u:urlpw@registry.example.com", Map.of(
                "basic.auth.user.info", "alice:secret", "schema.registry.ssl.truststore.password", "trustpw"));
        assertThat(settings.toString()).doesNotContain("secret").doesNotContain("trustpw").doesNotContain("urlpw")
                .contains("BASIC");
    }

    @Test
    void a_bad_url_is_refused_without_echoing_its_password() {
        assertThatThrownBy(() -> RegistrySettings.plaintext("ftp://u:pw1@host"))
                .hasMessageContaining("http or https").hasMessageNotContaining("pw1");
    }

    @Test
    void from_config_reads_a_serde_map() {
        RegistrySettings settings = RegistrySettings.fromConfig(Map.of(
                "schema.registry.url", URL, "bearer.auth.token", "t", "auto.register.schemas", "true"));
        assertThat(settings.url()).isEqualTo(URL);
        assertThat(settings.properties()).containsOnlyKeys("bearer.auth.token");
        assertThat(settings.serdeConfig()).containsEntry("schema.registry.url", URL).containsEntry("bearer.auth.token", "t");
    }
}
