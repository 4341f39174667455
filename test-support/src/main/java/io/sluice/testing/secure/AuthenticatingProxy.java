package io.sluice.testing.secure;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reverse proxy in front of an HTTP service (the schema registry in the tests) that lets a request
 * through only with {@code Authorization: Basic} for one user or {@code Authorization: Bearer} with one
 * token, as a managed registry does, and answers 401 otherwise. It counts both, so a test can show that
 * a client really went through it with credentials. Binds 127.0.0.1 on a free port.
 */
public final class AuthenticatingProxy implements AutoCloseable {

    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Content-Type", "Accept");
    private static final byte[] UNAUTHORIZED = "{\"error_code\":401,\"message\":\"Unauthorized\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final URI upstream;
    private final byte[] basic;
    private final byte[] bearer;
    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final AtomicLong authorized = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private AuthenticatingProxy(URI upstream, String user, String password, String token) throws IOException {
        this.upstream = upstream;
        this.basic = ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                .getBytes(StandardCharsets.UTF_8);
        this.bearer = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        // HTTP/1.1 as the registry client speaks it: the default HTTP/2 upgrade over plain text failed
        // requests to Apicurio (502s) when dozens of resolver threads registered schemas at once.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .executor(executor).build();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts the proxy for {@code upstream} (a base URL; its path is kept, so {@link #url()} is the same
     * API on the proxy's port) accepting Basic {@code user}:{@code password} or Bearer {@code token}.
     */
    public static AuthenticatingProxy start(String upstream, String user, String password, String token) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(token, "token");
        try {
            return new AuthenticatingProxy(URI.create(upstream), user, password, token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the authenticating proxy", e);
        }
    }

    /** The upstream base URL with the proxy's host and port. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + Objects.requireNonNullElse(upstream.getRawPath(), "");
    }

    /** Requests forwarded with valid credentials. */
    public long authorized() {
        return authorized.get();
    }

    /** Requests answered 401: no or wrong credentials. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
        client.close();
        executor.close();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!isAuthorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                refused.incrementAndGet();
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"sluice-test\"");
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(401, UNAUTHORIZED.length);
                exchange.getResponseBody().write(UNAUTHORIZED);
                return;
            }
            authorized.incrementAndGet();
            forward(exchange);
        }
    }

    private boolean isAuthorized(String header) {
        if (header == null) return false;
        byte[] given = header.getBytes(StandardCharsets.UTF_8);
        // constant-time comparison: a habit worth keeping even in a test fixture
        return MessageDigest.isEqual(given, basic) | MessageDigest.isEqual(given, bearer);
    }

    private void forward(HttpExchange exchange) throws IOException {
        URI target = upstream.resolve(exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30))
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : FORWARDED_REQUEST_HEADERS) {
            String value = exchange.getRequestHeaders().getFirst(name);
            if (value != null) request.header(name, value);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(503, -1);
            return;
        } catch (IOException e) {
            String text = ("proxy: upstream failed: " + e).replace('"', '\'');
            byte[] reason = ("{\"message\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, reason.length);
            exchange.getResponseBody().write(reason);
            return;
        }
        response.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().set("Content-Type", v));
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
        if (answer.length > 0) exchange.getResponseBody().write(answer);
    }
}
