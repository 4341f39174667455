package io.sluice.common.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConnectionSettingsTest {

    @TempDir
    Path dir;

    @Test
    void plaintext_clients_carry_only_the_bootstrap_servers() {
        ConnectionSettings settings = ConnectionSettings.plaintext("localhost:9092", "http://localhost:8080/apis/ccompat/v7");
        assertThat(settings.producer()).containsExactly(Map.entry("bootstrap.servers", "localhost:9092"));
        assertThat(settings.requireRegistry().url()).isEqualTo("http://localhost:8080/apis/ccompat/v7");
        assertThat(settings.secured()).isFalse();
    }

    @Test
    void every_client_map_is_fresh_and_mutable() {
        ConnectionSettings settings = ConnectionSettings.plaintext("localhost:9092", null);
        Map<String, Object> first = settings.consumer();
        first.put("group.id", "g");
        assertThat(settings.consumer()).doesNotContainKey("group.id");
        assertThat(settings.admin()).isNotSameAs(settings.admin());
    }

    @Test
    void group_consumers_use_the_consumer_protocol_and_streams_a_short_session_timeout() {
        ConnectionSettings settings = ConnectionSettings.plaintext("localhost:9092", null);
        assertThat(settings.groupConsumer()).containsEntry("group.protocol", "consumer");
        assertThat(settings.consumer()).doesNotContainKey("group.protocol");
        assertThat(settings.streams()).containsEntry("consumer.session.timeout.ms", 6_000)
                .containsEntry("consumer.heartbeat.interval.ms", 1_000);
    }

    @Test
    void a_streams_transaction_times_out_after_5_s_or_three_commit_intervals() {
        assertThat(ConnectionSettings.streamsTransactionTimeoutMs(java.time.Duration.ofMillis(100))).isEqualTo(5_000);
        assertThat(ConnectionSettings.streamsTransactionTimeoutMs(java.time.Duration.ofSeconds(4))).isEqualTo(12_000);
    }

    @Test
    void a_command_config_keeps_its_group_protocol_and_session_timeout() throws IOException {
        Path file = write("group.protocol=classic\nsession.timeout.ms=30000\n");
        ConnectionSettings settings = ConnectionSettings.load("broker:9093", null, file);
        assertThat(settings.groupConsumer()).containsEntry("group.protocol", "classic");
        assertThat(settings.streams()).containsEntry("session.timeout.ms", "30000")
                .doesNotContainKey("consumer.session.timeout.ms")
                .containsEntry("consumer.heartbeat.interval.ms", 1_000);
    }

    @Test
    void the_command_config_splits_into_client_and_registry_properties() throws IOException {
        Path file = write("""
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";
                ssl.truststore.type=PKCS12
                client.dns.lookup=use_all_dns_ips
                basic.auth.credentials.source=USER_INFO
                basic.auth.user.info=alice:secret
                schema.registry.url=https://registry.example.com
                """);
        ConnectionSettings settings = ConnectionSettings.load("broker:9093", null, file);
        assertThat(settings.clientProperties()).containsOnlyKeys("security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.type", "client.dns.lookup");
        assertThat(settings.registry().url()).isEqualTo("https://registry.example.com");
        assertThat(settings.registry().properties()).containsOnlyKeys("basic.auth.credentials.source", "basic.auth.user.info");
        assertThat(settings.streams()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "broker:9093");
        assertThat(settings.secured()).isTrue();
        assertThat(settings.toString()).doesNotContain("password=\"p\"").doesNotContain("secret");
    }

    @Test
    void arguments_win_over_the_file_and_the_file_fills_what_is_missing() throws IOException {
        Path file = write("bootstrap.servers=file:9092\nschema.registry.url=http://file:8081\n");
        assertThat(ConnectionSettings.load(null, null, file).bootstrapServers()).isEqualTo("file:9092");
        assertThat(ConnectionSettings.load(null, null, file).registry().url()).isEqualTo("http://file:8081");
        ConnectionSettings given = ConnectionSettings.load("arg:9092", "http://arg:8081", file);
        assertThat(given.bootstrapServers()).isEqualTo("arg:9092");
        assertThat(given.registry().url()).isEqualTo("http://arg:8081");
        assertThat(given.clientProperties()).isEmpty();
    }

    @Test
    void a_missing_file_is_named() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> ConnectionSettings.load("b:9092", null, missing))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString());
    }

    @Test
    void stage_owned_properties_are_refused_naming_file_and_property() throws IOException {
        for (String key : new String[] {"group.id", "transactional.id", "key.serializer", "value.deserializer"}) {
            Path file = write(key + "=x\n");
            assertThatThrownBy(() -> ConnectionSettings.load("b:9092", null, file))
                    .hasMessageContaining(file.toString()).hasMessageContaining(key);
        }
    }

    @Test
    void a_registry_source_without_its_user_info_names_the_file_and_property() throws IOException {
        Path file = write("basic.auth.credentials.source=USER_INFO\n");
        assertThatThrownBy(() -> ConnectionSettings.load("b:9092", "http://r:8081", file))
                .hasMessageContaining(file.toString()).hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void no_bootstrap_anywhere_is_an_error() throws IOException {
        Path file = write("security.protocol=SSL\n");
        assertThatThrownBy(() -> ConnectionSettings.load(null, null, file)).hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> ConnectionSettings.load(" ", null, null)).hasMessageContaining("bootstrap");
    }

    @Test
    void malformed_bootstrap_servers_are_refused() {
        assertThatThrownBy(() -> ConnectionSettings.plaintext("localhost", null)).hasMessageContaining("host:port");
        assertThatThrownBy(() -> ConnectionSettings.plaintext("a:1,b:x", null)).hasMessageContaining("host:port");
        assertThat(ConnectionSettings.plaintext("[::1]:9092, b:9093", null).bootstrapServers()).isEqualTo("[::1]:9092, b:9093");
    }

    @Test
    void require_registry_says_how_to_give_one() {
        assertThatThrownBy(() -> ConnectionSettings.plaintext("b:9092", null).requireRegistry())
                .hasMessageContaining("--registry-url");
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(dir, "client", ".properties");
        Files.writeString(file, text);
        return file;
    }
}
