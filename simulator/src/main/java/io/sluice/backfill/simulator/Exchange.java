package io.sluice.backfill.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One request and its response on a {@link LoopbackHttpServer} connection.
 *
 * <p>Consumes the parsed request line and headers; produces exactly one response, either whole
 * ({@link #send}) or streamed with a Content-Length announced up front ({@link #stream}). A streamed
 * body left short of its Content-Length when the handler returns (or after {@link #abort}) makes the
 * server drop the connection, which is how a client sees a truncated body. Not thread-safe: one
 * handler thread per exchange.
 */
final class Exchange {

    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, String> requestHeaders;
    private final OutputStream connection;
    private final Map<String, String> responseHeaders = new LinkedHashMap<>();
    private boolean started;
    private boolean aborted;
    private boolean closeAfter;
    private FixedLength body;

    Exchange(String method, String target, Map<String, String> requestHeaders, OutputStream connection) {
        int q = target.indexOf('?');
        this.method = method;
        this.path = q < 0 ? target : target.substring(0, q);
        this.rawQuery = q < 0 ? null : target.substring(q + 1);
        this.requestHeaders = requestHeaders;
        this.connection = connection;
    }

    String method() {
        return method;
    }

    /** The raw (not percent-decoded) path. */
    String path() {
        return path;
    }

    /** A request header, by case-insensitive name; null when absent. */
    String header(String name) {
        return requestHeaders.get(name.toLowerCase(Locale.ROOT));
    }

    /** The first value of query parameter {@code name}, percent-decoded, or null. */
    String query(String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Sets a response header (lower-case names, as HTTP/2 would have them anyway). */
    Exchange responseHeader(String name, String value) {
        responseHeaders.put(name.toLowerCase(Locale.ROOT), value);
        return this;
    }

    void send(int status, String contentType, byte[] body) throws IOException {
        responseHeader("content-type", contentType);
        OutputStream out = stream(status, body.length);
        out.write(body);
    }

    /** Sends the status line and headers; the caller then writes exactly {@code contentLength} bytes. */
    OutputStream stream(int status, long contentLength) throws IOException {
        if (started) {
            throw new IllegalStateException("response already started");
        }
        started = true;
        StringBuilder head = new StringBuilder(256).append("HTTP/1.1 ").append(status).append(' ')
                .append(reason(status)).append("\r\n");
        responseHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        if (status == 204 && contentLength != 0) {
            throw new IllegalArgumentException("a 204 response has no body");
        }
        if (status != 204) { // RFC 9110 8.6: no Content-Length on a 204
            head.append("content-length: ").append(contentLength).append("\r\n");
        }
        if (closeAfter) {
            head.append("connection: close\r\n");
        }
        connection.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        body = new FixedLength(connection, contentLength);
        return body;
    }

    /** Ends the connection after this response is written (HTTP/1.0 clients, {@code Connection: close}). */
    void closeAfterResponse() {
        closeAfter = true;
    }

    /** Drops the connection after whatever was written so far goes out. */
    void abort() {
        aborted = true;
    }

    boolean started() {
        return started;
    }

    /** Whether the connection can carry another request: a complete response and no close requested. */
    boolean reusable() {
        return started && !aborted && !closeAfter && body.remaining == 0;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    /** Refuses to write past the announced length: a response can be cut short, never made long. */
    private static final class FixedLength extends OutputStream {
        private final OutputStream out;
        private long remaining;

        FixedLength(OutputStream out, long length) {
            this.out = out;
            this.remaining = length;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > remaining) {
                throw new IllegalStateException("response body longer than its content-length");
            }
            out.write(b, off, len);
            remaining -= len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            // the connection outlives the exchange; the server decides when to flush and close it
        }
    }
}
