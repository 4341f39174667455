package io.sluice.common.http;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HttpGuardTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static GuardedServer open;
    private static GuardedServer locked;

    @BeforeAll
    static void start() {
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

    @Test
    void refusedPostsLeaveTheirKeepAliveConnectionUsable() throws Exception {
        // the body is not read before the 415: were it left unread, the server would close the connection
        // after the answer, and the client's next request on it would fail
        String body = "x".repeat(10_000);
        for (int i = 0; i < 200; i++) {
            HttpRequest request = HttpRequest.newBuilder(open.uri("/append")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            assertThat(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(415);
        }
        String big = raw(open, "POST /append HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n"
                + "y".repeat(UnreadBodies.DRAIN_BYTES + 1000));
        assertThat(big).as("a body past what is drained: the answer says the connection closes")
                .startsWith("HTTP/1.1 415 ").containsIgnoringCase("Connection: close");
    }

    @Test
    void anErrorAfterTheBodyWasReadAndClosedIsAnswered() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(open.uri("/read-then-refuse")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("\"error\":\"conflict\"");
    }

    @Test
    void aRequestUriThatJavaNetUriCannotParseIsAJsonBadRequest() throws Exception {
        // java.net.http cannot send these: a raw socket, as curl or a browser's fetch would
        for (String target : new String[] {"/read?query=%zz", "/read?query=%2", "/read?query={\"items\":[]}", "/read?q=a|b"}) {
            String response = raw(open, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(response).as(target).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                    .contains("\"error\":\"bad_request\"").contains("the request URI is not valid").doesNotContain("<");
        }
        assertThat(raw(open, "GET /read?query=%7B%7D HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200 ");
    }

    @Test
    void errorsTheServerAnswersBeforeAnyHandlerAreJsonToo() throws Exception {
        String badPath = raw(open, "GET /a/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(badPath).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                .contains("\"error\":\"bad_request\"", "\"status\":400").doesNotContain("<html", "Jetty");
        String hugeHeader = raw(open, "GET /read HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        assertThat(hugeHeader).startsWith("HTTP/1.1 431 ").contains("Content-Type: application/json")
                .contains("\"status\":431").doesNotContain("<html");
        String notHttp = raw(open, "HELLO\r\n\r\n");
        assertThat(notHttp).startsWith("HTTP/1.1 400 ").contains("\"status\":400").doesNotContain("<html");
    }

    /** Sends {@code request} as is and reads the answer until the server closes the connection. */
    private static String raw(GuardedServer server, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
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
