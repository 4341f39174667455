package io.sluice.common.redact;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedactionTest {

    @Test
    void a_jdbc_password_parameter_is_hidden_and_the_rest_kept() {
        String url = "jdbc:postgresql://db:5432/sluice?user=sluice&password=s3cret&sslmode=require";
        assertThat(Redaction.url(url))
                .doesNotContain("s3cret")
                .isEqualTo("jdbc:postgresql://db:5432/sluice?user=sluice&password=[hidden]&sslmode=require");
    }

    @Test
    void any_parameter_ending_in_password_is_hidden() {
        assertThat(Redaction.url("jdbc:postgresql://db/x?sslpassword=abc;PASSWORD=def"))
                .doesNotContain("abc").doesNotContain("def");
    }

    @Test
    void user_info_keeps_the_user_and_hides_the_password() {
        assertThat(Redaction.url("https://alice:pa%40ss@registry.example.com/apis/ccompat/v7"))
                .isEqualTo("https://alice:[hidden]@registry.example.com/apis/ccompat/v7");
        assertThat(Redaction.url("postgresql://bob:pw@host/db")).isEqualTo("postgresql://bob:[hidden]@host/db");
    }

    @Test
    void a_url_without_credentials_is_unchanged() {
        String url = "http://127.0.0.1:8080/apis/ccompat/v7?x=1";
        assertThat(Redaction.url(url)).isEqualTo(url);
        assertThat(Redaction.url(null)).isNull();
    }

    @Test
    void a_jaas_password_in_free_text_is_hidden() {
        String text = "bad config: org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"alice\" password=\"alice-secret\";";
        assertThat(Redaction.text(text)).doesNotContain("alice-secret").contains("username=\"alice\"");
    }

    @Test
    void credential_keys_are_hidden_in_a_config() {
        Map<String, Object> config = Map.of(
                "sasl.jaas.config", "ScramLoginModule required username=\"u\" password=\"p1\";",
                "ssl.truststore.password", "p2",
                "ssl.key.password", "p3",
                "ssl.keystore.key", "-----BEGIN PRIVATE KEY----- p4",
                "basic.auth.user.info", "user:p5",
                "bearer.auth.token", "p6",
                "sasl.oauthbearer.client.credentials.client.secret", "p7",
                "security.protocol", "SASL_SSL",
                "schema.registry.url", "https://u:p8@r");
        String printed = Redaction.config(config);
        for (int i = 1; i <= 8; i++) assertThat(printed).doesNotContain("p" + i);
        assertThat(printed).contains("security.protocol=SASL_SSL").contains("sasl.jaas.config=[hidden]");
    }

    @Test
    void sensitive_keys() {
        assertThat(Redaction.isSensitive("ssl.keystore.password")).isTrue();
        assertThat(Redaction.isSensitive("schema.registry.basic.auth.user.info")).isTrue();
        assertThat(Redaction.isSensitive("security.protocol")).isFalse();
        assertThat(Redaction.isSensitive("ssl.truststore.location")).isFalse();
    }
}
