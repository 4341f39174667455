package io.sluice.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP client against a scripted registry on loopback: request shape, answers, errors, retries, caching. */
class HttpSchemaRegistryClientTest {

    private record Request(String method, String path, String contentType, JsonNode body) { }

    private record Reply(int status, String body) { }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = SchemaBuilder.record("Thing").namespace("t").fields()
            .requiredString("name").endRecord();

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private HttpServer server;
    private HttpSchemaRegistryClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        client = new HttpSchemaRegistryClient(new RegistryClientConfig(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7/", 2, Duration.ofMillis(1), Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] in = exchange.getRequestBody().readAllBytes();
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"), in.length == 0 ? null : JSON.readTree(in)));
        Reply reply = replies.poll();
        if (reply == null) reply = new Reply(500, "{\"error_code\":50001,\"message\":\"no scripted reply\"}");
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(reply.status(), out.length);
        exchange.getResponseBody().write(out);
        exchange.close();
    }

    @Test
    void registerPostsTheSchemaAndCachesTheIdBothWays() {
        replies.add(new Reply(200, "{\"id\":17}"));

        assertThat(client.register("my.topic-value", SCHEMA)).isEqualTo(17);
        assertThat(client.register("my.topic-value", SCHEMA)).isEqualTo(17);
        assertThat(client.schemaById(17)).isEqualTo(SCHEMA);

        assertThat(requests).hasSize(1);
        Request request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/apis/ccompat/v7/subjects/my.topic-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.body().get("schemaType").asText()).isEqualTo("AVRO");
        assertThat(new Schema.Parser().parse(request.body().get("schema").asText())).isEqualTo(SCHEMA);
    }

    @Test
    void lookupUsesTheSubjectEndpointAndSharesTheCache() {
        replies.add(new Reply(200, "{\"subject\":\"s\",\"id\":5,\"version\":1,\"schema\":\"\\\"string\\\"\"}"));
        assertThat(client.lookup("s", SCHEMA)).isEqualTo(5);
        assertThat(client.register("s", SCHEMA)).isEqualTo(5);
        assertThat(requests).singleElement().satisfies(r -> assertThat(r.path()).isEqualTo("/apis/ccompat/v7/subjects/s"));
    }

    @Test
    void lookupOfUnregisteredSchemaIsNotFound() {
        replies.add(new Reply(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}"));
        assertThatThrownBy(() -> client.lookup("s", SCHEMA))
                .isInstanceOfSatisfying(SchemaNotFoundException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.registryMessage()).isEqualTo("Schema not found");
                })
                .hasMessageContaining("t.Thing is not registered under subject s");
    }

    @Test
    void conflictIsAnIncompatibleSchemaErrorWithTheRegistrysReason() {
        replies.add(new Reply(409, "{\"error_code\":409,\"message\":\"reader field 'size' has no default\"}"));
        assertThatThrownBy(() -> client.register("orders-value", SCHEMA))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.subject()).isEqualTo("orders-value");
                    assertThat(e.errorCode()).isEqualTo(409);
                })
                .hasMessage("schema is incompatible with the latest schema of subject orders-value: reader field 'size' has no default");
    }

    @Test
    void unknownIdNamesTheIdAndTheRegistry() {
        replies.add(new Reply(404, "{\"error_code\":40403,\"message\":\"Schema 99 not found\"}"));
        assertThatThrownBy(() -> client.schemaById(99))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageStartingWith("schema id 99 not found in registry " + client.url());
    }

    @Test
    void schemaByIdParsesAndCaches() {
        replies.add(new Reply(200, JSON.createObjectNode().put("schema", SCHEMA.toString()).toString()));
        assertThat(client.schemaById(3)).isEqualTo(SCHEMA);
        assertThat(client.schemaById(3)).isEqualTo(SCHEMA);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("GET");
            assertThat(r.path()).isEqualTo("/apis/ccompat/v7/schemas/ids/3");
        });
    }

    @Test
    void nonAvroSchemaIsRefused() {
        replies.add(new Reply(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}"));
        assertThatThrownBy(() -> client.schemaById(4)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("is PROTOBUF, not AVRO");
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() {
        replies.add(new Reply(503, "<html>busy</html>"));
        replies.add(new Reply(500, "{\"error_code\":50001,\"message\":\"store error\"}"));
        replies.add(new Reply(200, "{\"id\":8}"));
        assertThat(client.register("s", SCHEMA)).isEqualTo(8);
        assertThat(requests).hasSize(3);
    }

    @Test
    void persistentServerErrorIsReportedAsTransientAfterTheRetries() {
        for (int i = 0; i < 3; i++) replies.add(new Reply(500, "{\"error_code\":50001,\"message\":\"store error\"}"));
        assertThatThrownBy(() -> client.register("s", SCHEMA))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(500);
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isTransient()).isTrue();
                })
                .hasMessageContaining("HTTP 500, error_code 50001): store error");
        assertThat(requests).hasSize(3);
    }

    @Test
    void clientErrorsAreNotRetriedAndKeepNonJsonBodies() {
        replies.add(new Reply(422, "{\"error_code\":42201,\"message\":\"Invalid schema\"}"));
        assertThatThrownBy(() -> client.register("s", SCHEMA)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("rejected the schema for subject s as invalid")
                .hasMessageContaining("Invalid schema");
        replies.add(new Reply(401, "<html>login required</html>"));
        assertThatThrownBy(() -> client.register("s", SCHEMA)).isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("login required");
        assertThat(requests).hasSize(2);
    }

    @Test
    void refusedConnectionIsRetriedThenReportedWithoutStatus() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HttpSchemaRegistryClient down = new HttpSchemaRegistryClient(new RegistryClientConfig(
                "http://127.0.0.1:" + port, 2, Duration.ofMillis(1), Duration.ofSeconds(2)));
        assertThatThrownBy(() -> down.schemaById(1))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(SchemaRegistryException.NO_RESPONSE);
                    assertThat(e.isTransient()).isTrue();
                })
                .hasMessageContaining("unreachable after 3 attempts");
    }

    @Test
    void subjectsAreEscapedInThePath() {
        replies.add(new Reply(200, "{\"id\":1}"));
        client.register("a b/c", SCHEMA);
        assertThat(requests.get(0).path()).isEqualTo("/apis/ccompat/v7/subjects/a%20b%2Fc/versions");
    }

    @Test
    void setCompatibilityPutsTheSubjectConfig() {
        replies.add(new Reply(200, "{\"compatibility\":\"BACKWARD\"}"));
        client.setCompatibility("s", Compatibility.BACKWARD);
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.path()).isEqualTo("/apis/ccompat/v7/config/s");
            assertThat(r.body().get("compatibility").asText()).isEqualTo("BACKWARD");
        });
    }
}
