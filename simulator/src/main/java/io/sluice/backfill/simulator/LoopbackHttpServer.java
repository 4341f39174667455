package io.sluice.backfill.simulator;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on 127.0.0.1: keep-alive, one virtual thread per connection, requests
 * without bodies (GET, and POST with an empty or ignored body), responses with a Content-Length.
 *
 * <p>Why not the JDK's {@code HttpServer}: it flushes headers and body separately and offers no
 * per-server TCP_NODELAY, so on loopback (64 KiB MSS) every body that does not fit its 8 KiB buffer
 * waits for the client's delayed ACK, about 40 ms a response, which caps a benchmark client at a few
 * hundred requests per second. Here every socket has TCP_NODELAY and a 64 KiB write buffer.
 *
 * <p>Guarantees: a handler's exception ends only its connection; {@link #close} closes the
 * listening socket and every open connection.
 */
final class LoopbackHttpServer implements AutoCloseable {

    /** Handles one exchange; must produce a response or leave it unstarted (the server then answers 500). */
    @FunctionalInterface
    interface Handler {
        void handle(Exchange exchange) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(LoopbackHttpServer.class);
    private static final int MAX_LINE = 16 * 1024;
    private static final int MAX_HEADERS = 100;
    private static final int IDLE_MILLIS = 120_000;
    private static final long MAX_BODY = 1024 * 1024;

    private final ServerSocket listener;
    private volatile Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    /** Binds now (so the port is known before the handler is built); accepts once started. */
    LoopbackHttpServer(int port) throws IOException {
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 1024);
        this.acceptor = Thread.ofPlatform().daemon().name("pds-simulator-accept-" + port()).unstarted(this::acceptLoop);
    }

    void start(Handler handler) {
        this.handler = handler;
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the listening socket failed", e);
        }
        open.forEach(LoopbackHttpServer::closeQuietly);
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                Thread.ofVirtual().name("pds-simulator-conn").start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accept failed; still listening", e);
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(IDLE_MILLIS);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 8 * 1024);
            BufferedOutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            boolean again = true;
            while (again && !closed) {
                Exchange exchange = read(in, out);
                if (exchange == null) {
                    return; // the client closed the connection between requests
                }
                again = handle(exchange);
                out.flush();
            }
        } catch (SocketException e) {
            LOG.trace("connection ended: {}", e.getMessage()); // resets and timeouts are a client's right
        } catch (IOException e) {
            LOG.debug("connection failed", e);
        } finally {
            open.remove(socket);
        }
    }

    /** Runs the handler; returns whether the connection can take another request. */
    private boolean handle(Exchange exchange) throws IOException {
        try {
            handler.handle(exchange);
        } catch (RuntimeException e) {
            LOG.error("simulator handler failed on {} {}", exchange.method(), exchange.path(), e);
            if (exchange.started()) {
                return false; // half a response is out: only closing the connection is honest
            }
            exchange.closeAfterResponse();
            exchange.send(500, "text/plain; charset=utf-8", ("simulator error: " + e).getBytes(StandardCharsets.UTF_8));
        }
        if (!exchange.started()) {
            exchange.send(500, "text/plain; charset=utf-8", "handler gave no response".getBytes(StandardCharsets.UTF_8));
        }
        return exchange.reusable();
    }

    /** Reads a request head (and skips any body); null at a clean end of stream. */
    private static Exchange read(InputStream in, BufferedOutputStream out) throws IOException {
        String requestLine = line(in);
        while (requestLine != null && requestLine.isEmpty()) {
            requestLine = line(in); // RFC 9112 2.2: ignore empty lines before a request line
        }
        if (requestLine == null) {
            return null;
        }
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new SocketException("not an HTTP/1.x request line: " + requestLine);
        }
        Map<String, String> headers = new HashMap<>();
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            if (colon <= 0 || headers.size() >= MAX_HEADERS) {
                throw new SocketException("malformed or too many request headers");
            }
            headers.putIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) {
            throw new SocketException("request bodies with transfer-encoding are not supported");
        }
        long length = headers.containsKey("content-length") ? Long.parseLong(headers.get("content-length")) : 0;
        if (length < 0 || length > MAX_BODY) {
            throw new SocketException("request body of " + length + " bytes; the simulator takes none");
        }
        in.skipNBytes(length); // no endpoint reads a body; skipping keeps the connection usable
        Exchange exchange = new Exchange(parts[0], parts[1], headers, out);
        String connection = headers.getOrDefault("connection", "");
        boolean bodyless = !parts[0].equals("GET") && !parts[0].equals("POST"); // e.g. HEAD: framing would differ
        if (parts[2].equals("HTTP/1.0") || connection.equalsIgnoreCase("close") || bodyless) {
            exchange.closeAfterResponse();
        }
        return exchange;
    }

    /** One CRLF-terminated ASCII line without its terminator; null at end of stream before any byte. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); ; b = in.read()) {
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new SocketException("connection closed inside a request head");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            if (line.length() >= MAX_LINE) {
                throw new SocketException("request line or header longer than " + MAX_LINE + " bytes");
            }
            line.append((char) b);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.trace("closing a connection failed", e);
        }
    }
}
