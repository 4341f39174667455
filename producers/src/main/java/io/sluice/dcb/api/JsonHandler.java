package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The shared shape of the API's handlers: one exact path and method, a JSON answer, and the
 * mapping of failures to statuses: {@link BadRequestException} is 400, a backend that is down or
 * behind ({@link Unavailable}) 503, anything else 500 with the detail in the log only.
 */
abstract class JsonHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(JsonHandler.class);

    /** The status and JSON body of an answer. */
    record Response(int status, byte[] body) {

        static Response error(int status, String code, String message) {
            return new Response(status, DcbJson.error(status, code, message));
        }
    }

    /** The API cannot answer now (no decider answer in time, the sink behind, PostgreSQL down); retry later. */
    static final class Unavailable extends Exception {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final String path;
    private final String method;

    /** @param path the one path served; null: none (every request is a 404) */
    JsonHandler(String path, String method) {
        this.path = path;
        this.method = method;
    }

    /**
     * @param startedNanos {@link System#nanoTime()} when the request arrived
     * @throws IOException the client went away while its body was read (no answer is sent)
     */
    abstract Response respond(HttpExchange exchange, long startedNanos) throws Unavailable, InterruptedException, IOException;

    @Override
    public final void handle(HttpExchange exchange) throws IOException {
        long started = System.nanoTime();
        Response response;
        try {
            if (path == null || !exchange.getRequestURI().getPath().equals(path)) {
                response = Response.error(404, "not_found", "no such resource: " + exchange.getRequestURI().getPath()
                        + " (there are GET /read and POST /append)");
            } else if (!exchange.getRequestMethod().equals(method)) {
                exchange.getResponseHeaders().set("Allow", method);
                response = Response.error(405, "method_not_allowed", path + " takes " + method + ", not "
                        + exchange.getRequestMethod());
            } else {
                response = respond(exchange, started);
            }
        } catch (BadRequestException e) {
            response = Response.error(400, "bad_request", e.getMessage());
        } catch (Unavailable e) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            response = Response.error(503, "unavailable", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Response.error(503, "unavailable", "the server is stopping");
        } catch (RuntimeException e) {
            log.error("{} {} failed", exchange.getRequestMethod(), path, e);
            response = Response.error(500, "internal", "the request failed on the server (see its log)");
        }
        send(exchange, response);
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        try (exchange) {
            // Whatever of the body was not read (an early 400) is drained or the connection closed by the server.
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    /**
     * The request body, at most {@code limit} bytes; a larger one is a 400. The rest of a too-large
     * body (up to {@link #DRAIN_BYTES}) is read and dropped before the answer: a server that answers
     * and closes while the client is still sending makes the client see a reset, not the 400.
     */
    static byte[] body(HttpExchange exchange, int limit) throws IOException {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        try (InputStream in = exchange.getRequestBody()) {
            if (length != null) {
                long declared;
                try {
                    declared = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    throw new BadRequestException("Content-Length is not a number: '" + length + "'");
                }
                if (declared > limit) {
                    if (declared <= DRAIN_BYTES) drain(in);
                    throw tooLarge(limit);
                }
            }
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            return body;
        }
    }

    /** How much of a too-large body is read to answer it cleanly; past this the connection is dropped. */
    static final long DRAIN_BYTES = 16L << 20;

    private static void drain(InputStream in) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        long drained = 0;
        for (int n; drained < DRAIN_BYTES && (n = in.read(scratch)) >= 0; ) drained += n;
    }

    private static BadRequestException tooLarge(int limit) {
        return new BadRequestException("the request body is larger than " + limit + " bytes (1 MiB)");
    }
}
