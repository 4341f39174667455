package io.sluice.backfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoopbackHttpServerTest {

    private static LoopbackHttpServer server(LoopbackHttpServer.Handler handler) throws IOException {
        LoopbackHttpServer server = new LoopbackHttpServer(0);
        server.start(handler);
        return server;
    }

    /** Sends {@code requests} in one go on one connection and reads until the server closes it. */
    private static List<String> exchange(int port, String requests) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(requests.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lines.add(line);
            }
            return lines;
        }
    }

    @Test
    void keepsTheConnectionForSeveralRequestsUntilAskedToClose() throws IOException {
        try (LoopbackHttpServer server = server(ex -> ex.send(200, "text/plain", (ex.path() + "?" + ex.query("x") + "\n").getBytes()))) {
            List<String> lines = exchange(server.port(), "GET /a?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"
                    + "\r\nPOST /b?x=%3A HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /c HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
            assertThat(lines).filteredOn(l -> l.startsWith("HTTP/1.1")).containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK",
                    "HTTP/1.1 200 OK");
            assertThat(lines).contains("/a?1", "/b?:", "connection: close");
            assertThat(lines.getLast()).isEqualTo("/c?null");
        }
    }

    @Test
    void aNoContentResponseHasNoLengthAndAFailingHandlerGets500() throws IOException {
        try (LoopbackHttpServer server = server(ex -> {
            if (ex.path().equals("/boom")) {
                throw new IllegalStateException("boom");
            }
            ex.send(204, "text/plain", new byte[0]);
        })) {
            List<String> lines = exchange(server.port(), "GET /ok HTTP/1.1\r\n\r\nGET /boom HTTP/1.1\r\n\r\nGET /never HTTP/1.1\r\n\r\n");
            assertThat(lines).contains("HTTP/1.1 204 No Content", "HTTP/1.1 500 Internal Server Error", "connection: close");
            assertThat(lines).noneMatch(l -> l.startsWith("content-length: 0") && lines.indexOf(l) < 3);
            assertThat(lines).filteredOn(l -> l.startsWith("HTTP/1.1")).hasSize(2); // closed after the 500
        }
    }

    @Test
    void aBodyLeftShortClosesTheConnection() throws IOException {
        try (LoopbackHttpServer server = server(ex -> ex.stream(200, 100).write(new byte[] {'a', 'b', 'c'}))) {
            List<String> lines = exchange(server.port(), "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n");
            assertThat(lines).contains("content-length: 100");
            assertThat(lines.getLast()).isEqualTo("abc");
            assertThat(lines).filteredOn(l -> l.startsWith("HTTP/1.1")).hasSize(1);
        }
    }

    @Test
    void garbageEndsOnlyItsConnection() throws IOException {
        try (LoopbackHttpServer server = server(ex -> ex.send(200, "text/plain", "ok".getBytes()))) {
            assertThat(exchange(server.port(), "NONSENSE\r\n\r\n")).isEmpty();
            assertThat(exchange(server.port(), "GET / HTTP/1.0\r\n\r\n")).contains("HTTP/1.1 200 OK", "ok");
        }
    }
}
