package io.sluice.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The two calls of the Kafka Connect REST API that registering a connector needs: {@code PUT
 * /connectors/{name}/config} (create or update, idempotent) and {@code GET /connectors/{name}/status}.
 * Errors carry Connect's own {@code message}. Thread-safe.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    /** A failed call: the HTTP status (0 when Connect could not be reached) and Connect's message. */
    public static final class ConnectException extends IOException {
        private final int status;

        ConnectException(int status, String message, Throwable cause) {
            super(message, cause);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public ConnectRestClient(URI base) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Creates the connector or replaces its config; true when it was created. */
    boolean putConfig(String name, ObjectNode config) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(connector(name, "config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))));
        expectOk(response, "PUT config of connector " + name);
        return response.statusCode() == 201;
    }

    /** The connector's status document, empty while Connect does not know it yet (404). */
    Optional<JsonNode> status(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(connector(name, "status")).GET());
        if (response.statusCode() == 404) return Optional.empty();
        expectOk(response, "GET status of connector " + name);
        return Optional.of(JSON.readTree(response.body()));
    }

    URI base() {
        return base;
    }

    private URI connector(String name, String what) {
        return base.resolve("connectors/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20") + "/" + what);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).header("Accept", "application/json").build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ConnectException(0, "cannot reach Kafka Connect at " + base + " (" + built.method() + " "
                    + built.uri().getPath() + "): " + e, e);
        }
    }

    private static void expectOk(HttpResponse<String> response, String what) throws ConnectException {
        if (response.statusCode() / 100 == 2) return;
        throw new ConnectException(response.statusCode(), what + " failed: HTTP " + response.statusCode() + ": "
                + errorMessage(response.body()), null);
    }

    /** Connect's {@code {"error_code": 400, "message": "…"}}, or the body as it is. */
    static String errorMessage(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error != null && error.hasNonNull("message")) return error.get("message").asText();
        } catch (IOException notJson) {
            // an HTML error page from a proxy, say: show it as it is
        }
        return body == null || body.isBlank() ? "(no body)" : body.strip();
    }
}
