package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.sluice.common.http.HttpAuth;
import io.sluice.common.http.HttpGuard;
import io.sluice.common.http.HttpLimits;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP front of the DCB API: the JDK's HTTP server with one virtual thread per exchange, so a
 * request waiting for the decider or the read fence holds no platform thread, and hundreds of
 * clients cost little. Serves {@code /append}, {@code /read} and any extra routes it is given (the
 * caller's {@code /metrics}); every other path is a JSON 404. Every path is behind {@link HttpGuard}
 * (bearer token, same-origin, JSON content type) and the {@link HttpLimits} (request and idle timeouts,
 * a connection cap).
 */
public final class DcbHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private DcbHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Binds {@code host:port} (0: any free port) and starts serving. */
    public static DcbHttpServer start(String host, int port, HttpHandler append, HttpHandler read) {
        return start(host, port, append, read, Map.of(), HttpAuth.none());
    }

    /** As {@link #start(String, int, HttpHandler, HttpHandler)}, with {@code extra} handlers by path and {@code auth}. */
    public static DcbHttpServer start(String host, int port, HttpHandler append, HttpHandler read,
                                      Map<String, HttpHandler> extra, HttpAuth auth) {
        // Read once when the JDK server's configuration class loads, so set before the first server.
        HttpLimits.applyDefaults();
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        HttpGuard guard = new HttpGuard(auth);
        guarded(server.createContext("/append", append), guard);
        guarded(server.createContext("/read", read), guard);
        extra.forEach((path, handler) -> guarded(server.createContext(path, handler), guard));
        guarded(server.createContext("/", new NotFound()), guard);
        server.start();
        return new DcbHttpServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, gives running exchanges a second, then interrupts what is left. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    private static void guarded(HttpContext context, HttpGuard guard) {
        context.getFilters().add(guard);
    }

    private static final class NotFound extends JsonHandler {
        NotFound() {
            super(null, "GET");
        }

        @Override
        Response respond(com.sun.net.httpserver.HttpExchange exchange, long startedNanos) {
            throw new IllegalStateException("unreachable: every path is a 404");
        }
    }
}
