package io.sluice.common.http;

import java.net.URI;

/**
 * An {@link HttpListener} on a free port behind {@link HttpGuard}, answering 200 "ok" on every path but
 * /read-then-refuse (409 after reading the whole body).
 */
final class GuardedServer implements AutoCloseable {

    final HttpListener server;

    GuardedServer(HttpAuth auth) {
        server = HttpListener.bind("127.0.0.1", 0, 16);
        server.route("/read-then-refuse", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getRequestBody().close();
            JsonError.send(exchange, 409, "conflict", "read, closed, then refused");
        }).getFilters().add(new HttpGuard(auth));
        server.route("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, 2);
                exchange.getResponseBody().write("ok".getBytes());
            }
        }).getFilters().add(new HttpGuard(auth));
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }
}
