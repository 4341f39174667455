package io.sluice.ops.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sluice.common.http.HttpListener;
import io.sluice.common.http.JsonError;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET /metrics} in the Prometheus text format, on an {@link HttpListener}: the endpoint every
 * long-running sluice command serves when given {@code --metrics-port}. {@link #handler} is the same
 * endpoint for a server that already exists (the DCB API serves it beside /append and /read).
 */
public final class MetricsServer implements AutoCloseable {

    public static final String PATH = "/metrics";
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpListener server;

    private MetricsServer(HttpListener server) {
        this.server = server;
    }

    /** Listens on {@code host:port} (port 0: any free one) and serves {@code metrics} at /metrics. */
    public static MetricsServer start(String host, int port, ComponentMetrics metrics) {
        HttpListener server = HttpListener.bind(host, port, 16);
        server.route(PATH, handler(metrics::scrape));
        server.route("/", exchange -> JsonError.send(exchange, 404, "not_found", "no such resource: "
                + exchange.getRequestURI().getPath() + " (there is GET " + PATH + ")"));
        server.start();
        return new MetricsServer(server);
    }

    /** The /metrics handler: GET or HEAD, the text {@code scrape} returns. */
    public static HttpHandler handler(Supplier<String> scrape) {
        return exchange -> {
            try (exchange) {
                String method = exchange.getRequestMethod();
                if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    JsonError.send(exchange, 405, "method_not_allowed", PATH + " takes GET or HEAD, not " + method);
                    return;
                }
                byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
                send(exchange, method.equals("HEAD") ? null : body, body.length);
            }
        };
    }

    private static void send(HttpExchange exchange, byte[] body, int length) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public int port() {
        return server.port();
    }

    /** The scrape URL, with the bound address (0.0.0.0 shown as 127.0.0.1). */
    public URI url() {
        String host = server.address().getAddress().isAnyLocalAddress() ? "127.0.0.1"
                : server.address().getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + port() + PATH);
    }

    @Override
    public void close() {
        server.close();
    }
}
