package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sluice.common.http.UnreadBodies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The shared shape of the API's handlers: one exact path and method, a JSON answer, and the
 * mapping of failures to statuses: {@link BadRequestException} is 400, {@link TooLargeException}
 * 413, a backend that is down or behind ({@link Unavailable}) 503, anything else 500 with the
 * detail in the log only. An answer is either a byte array or {@linkplain Response#streamed streamed}:
 * written in chunks as it is produced, so its size does not cost memory.
 */
abstract class JsonHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(JsonHandler.class);

    /** The status and JSON body of an answer: bytes, or a {@link Stream} when {@code stream} is not null. */
    record Response(int status, byte[] body, Stream stream) {

        Response(int status, byte[] body) {
            this(status, body, null);
        }

        static Response error(int status, String code, String message) {
            return new Response(status, DcbJson.error(status, code, message));
        }

        /** A 200 whose body {@code stream} writes, closed once written or failed. */
        static Response streamed(Stream stream) {
            return new Response(200, new byte[0], stream);
        }
    }

    /** A body written as it is produced; owns what it reads from (a database cursor) until closed. */
    interface Stream extends AutoCloseable {
        void writeTo(OutputStream out) throws Exception;

        @Override
        void close();
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
        } catch (TooLargeException e) {
            response = Response.error(413, "too_large", e.getMessage());
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

    private void send(HttpExchange exchange, Response response) throws IOException {
        if (response.stream() != null) {
            stream(exchange, response.stream());
            return;
        }
        try (exchange) {
            UnreadBodies.drainOrClose(exchange); // an early 400, 404 or 405 leaves the body unread
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.status(), response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    /**
     * Sends a streamed 200 with chunked encoding. Once the headers are out the status cannot change,
     * so a failure half-way leaves the JSON unfinished (no closing bracket, never a shorter valid
     * answer) and the connection is dropped without the last chunk: the client sees an error.
     */
    private void stream(HttpExchange exchange, Stream stream) throws IOException {
        Exception failure;
        try (stream) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            try {
                stream.writeTo(out);
                out.close();
                exchange.close();
                return;
            } catch (IOException e) {
                // the client went away: nothing to tell it
                throw e;
            } catch (Exception e) {
                failure = e;
            }
        }
        // the stream's resources are released first, so a client that sees the drop sees them free
        log.warn("{} {} failed after its answer started; dropping the connection: {}", exchange.getRequestMethod(),
                path, failure.toString());
        throw new IOException("the answer failed half-way", failure); // HttpListener drops a started answer that fails
    }

    /**
     * The request body, at most {@code limit} bytes; a larger one is a 413. The rest of a too-large
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
                if (declared >= 0) return exactly(in, (int) declared);
            }
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            return body;
        }
    }

    /** A body of the declared length, read into one array of that size (no growing copies). */
    private static byte[] exactly(InputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        int read = in.readNBytes(body, 0, length);
        if (read < length) throw new IOException("the client sent " + read + " of the " + length + " bytes it declared");
        return body;
    }

    /** How much of a too-large body is read to answer it cleanly; past this the connection is dropped. */
    static final long DRAIN_BYTES = 16L << 20;

    private static void drain(InputStream in) throws IOException {
        byte[] scratch = new byte[64 * 1024];
        long drained = 0;
        for (int n; drained < DRAIN_BYTES && (n = in.read(scratch)) >= 0; ) drained += n;
    }

    private static TooLargeException tooLarge(int limit) {
        return new TooLargeException("the request body is larger than " + limit + " bytes, the limit ("
                + ApiLimits.BODY_OPTION + " raises it, within the producer's max.request.size)");
    }
}
