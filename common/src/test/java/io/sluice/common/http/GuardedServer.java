package io.sluice.common.http;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;

/** A JDK server on a free port behind {@link HttpGuard}, answering 200 "ok" on every path. */
final class GuardedServer implements AutoCloseable {

    final HttpServer server;

    GuardedServer(HttpAuth auth) throws IOException {
        HttpLimits.applyDefaults();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                exchange.sendResponseHeaders(200, 2);
                exchange.getResponseBody().write("ok".getBytes());
            }
        }).getFilters().add(new HttpGuard(auth));
        server.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
