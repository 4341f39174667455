package io.sluice.schemas.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.common.client.RegistrySettings;
import io.sluice.schemas.connect.AvroConverter;
import io.sluice.schemas.serde.AvroSerializer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry client, the Kafka serializer and the Connect converter against a registry on loopback
 * that, like one behind an authenticating proxy, answers 401 unless the expected Authorization header
 * comes with the request.
 */
class RegistryAuthTest {

    private static final Schema SCHEMA = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("name").endRecord();
    private static final String USER_INFO = "alice:alice-secret";
    private static final String TOKEN = "token-xyz-123";

    private final List<String> seen = new CopyOnWriteArrayList<>();
    private volatile String expected;
    private HttpServer server;
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        seen.add(String.valueOf(authorization));
        boolean allowed = expected.equals(authorization);
        byte[] out = (allowed ? "{\"id\":7}" : "{\"error_code\":401,\"message\":\"Unauthorized\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(allowed ? 200 : 401, out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    private static String basic(String userInfo) {
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basic_credentials_are_sent_in_the_authorization_header() {
        expected = basic(USER_INFO);
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistrySettings(url, Map.of(
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", USER_INFO)));

        assertThat(client.register("t-value", SCHEMA)).isEqualTo(7);
        assertThat(seen).containsExactly(expected);
    }

    @Test
    void a_static_bearer_token_is_sent_in_the_authorization_header() {
        expected = "Bearer " + TOKEN;
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistrySettings(url, Map.of(
                "bearer.auth.credentials.source", "STATIC_TOKEN", "bearer.auth.token", TOKEN)));

        assertThat(client.register("t-value", SCHEMA)).isEqualTo(7);
        assertThat(seen).containsExactly(expected);
    }

    @Test
    void without_credentials_the_error_says_unauthorized_at_once() {
        expected = basic(USER_INFO);
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(url);

        assertThatThrownBy(() -> client.register("t-value", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("HTTP 401 Unauthorized").hasMessageContaining("no credentials were sent");
        assertThat(seen).as("401 is not retried").hasSize(1);
    }

    @Test
    void refused_credentials_are_not_echoed() {
        expected = basic(USER_INFO);
        String wrong = "alice:wrong-password-42";
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistrySettings(url, Map.of(
                "basic.auth.user.info", wrong)));

        assertThatThrownBy(() -> client.schemaById(7))
                .hasMessageContaining("401").hasMessageContaining("basic.auth.user.info")
                .hasMessageNotContaining("wrong-password-42")
                .hasMessageNotContaining(Base64.getEncoder().encodeToString(wrong.getBytes(StandardCharsets.UTF_8)));

        HttpSchemaRegistryClient bearer = HttpSchemaRegistryClient.create(new RegistrySettings(url, Map.of(
                "bearer.auth.token", "bad-token-77")));
        assertThatThrownBy(() -> bearer.schemaById(7)).hasMessageContaining("bearer.auth.token")
                .hasMessageNotContaining("bad-token-77");
    }

    @Test
    void the_url_user_info_is_sent_as_basic_credentials_and_never_printed() {
        expected = basic(USER_INFO);
        String withUserInfo = url.replace("http://", "http://" + USER_INFO + "@");
        HttpSchemaRegistryClient client = HttpSchemaRegistryClient.create(new RegistrySettings(withUserInfo,
                Map.of("basic.auth.credentials.source", "URL")));

        assertThat(client.register("t-value", SCHEMA)).isEqualTo(7);
        assertThat(client.url()).isEqualTo(url);
    }

    @Test
    void the_kafka_serializer_reads_the_auth_keys_from_its_config() {
        expected = basic(USER_INFO);
        Map<String, Object> config = new HashMap<>();
        config.put("schema.registry.url", url);
        config.put("basic.auth.credentials.source", "USER_INFO");
        config.put("basic.auth.user.info", USER_INFO);
        try (AvroSerializer<String> serializer = new AvroSerializer<>()) {
            serializer.configure(config, false);
            assertThat(serializer.serialize("t", "hello")).isNotEmpty();
        }
        assertThat(seen).containsOnly(expected);
    }

    @Test
    void the_connect_converter_reads_the_auth_keys_from_its_config() {
        expected = "Bearer " + TOKEN;
        AvroConverter converter = new AvroConverter();
        converter.configure(Map.of("schema.registry.url", url, "bearer.auth.credentials.source", "STATIC_TOKEN",
                "bearer.auth.token", TOKEN), false);

        assertThat(converter.fromConnectData("t", org.apache.kafka.connect.data.Schema.STRING_SCHEMA, "hello")).isNotEmpty();
        assertThat(seen).containsOnly(expected);
    }
}
