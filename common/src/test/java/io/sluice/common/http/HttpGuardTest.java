package io.sluice.common.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HttpGuardTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static GuardedServer open;
    private static GuardedServer locked;

    @BeforeAll
    static void start() throws IOException {
        open = new GuardedServer(HttpAuth.none());
        locked = new GuardedServer(new HttpAuth(Optional.of("s3cret"), false));
    }

    @AfterAll
    static void stop() {
        open.close();
        locked.close();
    }

    @Test
    void postNeedsJsonContentType() throws Exception {
        assertThat(post(open, "application/json", null).statusCode()).isEqualTo(200);
        assertThat(post(open, "Application/JSON; charset=utf-8", null).statusCode()).isEqualTo(200);
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                "application/jsonp", null}) {
            HttpResponse<String> response = post(open, type, null);
            assertThat(response.statusCode()).as(String.valueOf(type)).isEqualTo(415);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body()).contains("\"status\":415").contains("application/json");
        }
    }

    @Test
    void foreignOriginIsRefusedOnStateChangingMethods() throws Exception {
        HttpResponse<String> foreign = post(open, "application/json", "https://evil.example");
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("\"error\":\"forbidden_origin\"", "\"status\":403");
        assertThat(foreign.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(post(open, "application/json", "null").statusCode()).isEqualTo(403);
        assertThat(post(open, "application/json", "http://127.0.0.1:" + open.port()).statusCode()).isEqualTo(200);
        // a GET changes nothing: a page may link to it
        HttpRequest get = HttpRequest.newBuilder(open.uri("/read")).header("Origin", "https://evil.example").GET().build();
        assertThat(HTTP.send(get, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    }

    @Test
    void tokenIsRequiredWhenSet() throws Exception {
        HttpResponse<String> none = get(locked, "/read", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(none.body()).contains("\"status\":401").doesNotContain("s3cret");
        assertThat(get(locked, "/read", "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(get(locked, "/read", "Bearer s3cret2").statusCode()).isEqualTo(401);
        assertThat(get(locked, "/read", "Basic s3cret").statusCode()).isEqualTo(401);
        assertThat(get(locked, "/read", "Bearer s3cret").statusCode()).isEqualTo(200);
        HttpRequest twice = HttpRequest.newBuilder(locked.uri("/read")).header("Authorization", "Bearer s3cret")
                .header("Authorization", "Bearer other").GET().build();
        assertThat(HTTP.send(twice, HttpResponse.BodyHandlers.ofString()).statusCode()).as("two headers").isEqualTo(401);
        assertThat(get(locked, "/metrics", null).statusCode()).as("metrics exempt by default").isEqualTo(200);
        assertThat(get(open, "/read", null).statusCode()).isEqualTo(200);
    }

    @Test
    void metricsNeedTheTokenWhenAsked() throws Exception {
        try (GuardedServer all = new GuardedServer(new HttpAuth(Optional.of("s3cret"), true))) {
            assertThat(get(all, "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(all, "/metrics", "Bearer s3cret").statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> post(GuardedServer server, String contentType, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/append")).POST(HttpRequest.BodyPublishers.ofString("{}"));
        if (contentType != null) request.header("Content-Type", contentType);
        if (origin != null) request.header("Origin", origin);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(GuardedServer server, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).GET();
        if (authorization != null) request.header("Authorization", authorization);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
