package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import io.sluice.common.http.HttpAuth;
import io.sluice.common.http.HttpGuard;
import io.sluice.common.http.HttpLimits;
import io.sluice.common.http.HttpListener;

import java.util.Map;

/**
 * The HTTP front of the DCB API: an {@link HttpListener}, with one virtual thread per exchange, so a
 * request waiting for the decider or the read fence holds no platform thread, and hundreds of
 * clients cost little. Serves {@code /append}, {@code /read} and any extra routes it is given (the
 * caller's {@code /metrics}); every other path is a JSON 404. Every path is behind {@link HttpGuard}
 * (bearer token, same-origin, JSON content type) and the {@link HttpLimits} (request and idle timeouts,
 * a connection cap).
 */
public final class DcbHttpServer implements AutoCloseable {

    private final HttpListener listener;

    private DcbHttpServer(HttpListener listener) {
        this.listener = listener;
    }

    /** Binds {@code host:port} (0: any free port) and starts serving. */
    public static DcbHttpServer start(String host, int port, HttpHandler append, HttpHandler read) {
        return start(host, port, append, read, Map.of(), HttpAuth.none());
    }

    /** As {@link #start(String, int, HttpHandler, HttpHandler)}, with {@code extra} handlers by path and {@code auth}. */
    public static DcbHttpServer start(String host, int port, HttpHandler append, HttpHandler read,
                                      Map<String, HttpHandler> extra, HttpAuth auth) {
        HttpListener listener = HttpListener.bind(host, port, 1024);
        HttpGuard guard = new HttpGuard(auth);
        guarded(listener.route("/append", append), guard);
        guarded(listener.route("/read", read), guard);
        extra.forEach((path, handler) -> guarded(listener.route(path, handler), guard));
        guarded(listener.route("/", new NotFound()), guard);
        listener.start();
        return new DcbHttpServer(listener);
    }

    public int port() {
        return listener.port();
    }

    /** Stops accepting, gives running exchanges a second, then interrupts what is left. */
    @Override
    public void close() {
        listener.close();
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
