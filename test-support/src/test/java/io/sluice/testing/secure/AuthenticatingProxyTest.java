package io.sluice.testing.secure;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy forwards what carries the right Basic or Bearer credentials and refuses the rest, counting both. */
class AuthenticatingProxyTest {

    private HttpServer upstream;
    private AuthenticatingProxy proxy;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            byte[] body = (exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    + " auth=" + exchange.getRequestHeaders().getFirst("Authorization")).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        upstream.start();
        proxy = AuthenticatingProxy.start("http://127.0.0.1:" + upstream.getAddress().getPort() + "/api/v7",
                "reg-user", "reg-secret", "tok-123");
    }

    @AfterEach
    void stop() {
        proxy.close();
        upstream.stop(0);
    }

    @Test
    void forwardsWithBasicOrBearerAndKeepsPathQueryAndBody() throws Exception {
        assertThat(proxy.url()).endsWith("/api/v7").doesNotContain(":" + upstream.getAddress().getPort() + "/");
        HttpResponse<String> basic = send("/subjects/x/versions?normalize=true", "Basic "
                + Base64.getEncoder().encodeToString("reg-user:reg-secret".getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> bearer = send("/schemas/ids/1", "Bearer tok-123");

        assertThat(basic.statusCode()).isEqualTo(201);
        assertThat(basic.body()).isEqualTo("POST /api/v7/subjects/x/versions?normalize=true {\"a\":1} auth=null");
        assertThat(basic.headers().firstValue("Content-Type")).contains("text/plain");
        assertThat(bearer.statusCode()).isEqualTo(201);
        assertThat(proxy.authorized()).isEqualTo(2);
        assertThat(proxy.refused()).isZero();
    }

    @Test
    void refusesMissingOrWrongCredentials() throws Exception {
        assertThat(send("/subjects", null).statusCode()).isEqualTo(401);
        assertThat(send("/subjects", "Bearer tok-124").statusCode()).isEqualTo(401);
        assertThat(send("/subjects", "Basic " + Base64.getEncoder()
                .encodeToString("reg-user:wrong".getBytes(StandardCharsets.UTF_8))).statusCode()).isEqualTo(401);
        assertThat(proxy.refused()).isEqualTo(3);
        assertThat(proxy.authorized()).isZero();
    }

    private HttpResponse<String> send(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"));
        if (authorization != null) request.header("Authorization", authorization);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
