package io.sluice.common.http;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDK server's handler contract, as the Jetty under {@link HttpListener} keeps it. */
class HttpRoutesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static HttpListener server;

    @BeforeAll
    static void start() {
        server = HttpListener.bind("127.0.0.1", 0, 16);
        server.route("/a", exchange -> answer(exchange, 200, "a"));
        server.route("/a/b", exchange -> answer(exchange, 200, "a/b " + exchange.getHttpContext().getPath()));
        server.route("/empty", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.route("/fails-early", exchange -> {
            throw new IllegalStateException("secret internals");
        });
        server.route("/fails-late", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write("[1,2,3,".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            throw new IOException("the source failed half-way");
        });
        server.route("/echo", exchange -> answer(exchange, 200, exchange.getRequestMethod() + " "
                + exchange.getRequestURI().getRawQuery() + " " + exchange.getRequestHeaders().get("X-Twice")
                + " " + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
        server.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theLongestPrefixRoutes() throws Exception {
        assertThat(get("/a").body()).isEqualTo("a");
        assertThat(get("/a/b/c").body()).isEqualTo("a/b /a/b");
        assertThat(get("/ab").body()).as("a string prefix, as the JDK's server matches").isEqualTo("a");
    }

    @Test
    void noRouteIsAJson404() throws Exception {
        HttpResponse<String> response = get("/nothing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"error\":\"not_found\"", "\"status\":404");
    }

    @Test
    void theRequestReachesTheHandlerWhole() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri("/echo?x=1&y=%20")).header("X-Twice", "1").header("X-Twice", "2")
                .POST(HttpRequest.BodyPublishers.ofString("body")).build();
        assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("POST x=1&y=%20 [1, 2] body");
    }

    @Test
    void noBodyIsLengthZero() throws Exception {
        HttpResponse<String> response = get("/empty");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void aHandlerThatFailsBeforeAnsweringIsAJson500ThatKeepsItsSecrets() throws Exception {
        HttpResponse<String> response = get("/fails-early");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).contains("\"status\":500").doesNotContain("secret", "Exception");
    }

    @Test
    void aHandlerThatFailsAfterItsAnswerStartedDropsTheConnection() {
        assertThatThrownBy(() -> get("/fails-late")).as("never a shorter answer that looks complete")
                .isInstanceOf(IOException.class);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        try (exchange) {
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }
}
