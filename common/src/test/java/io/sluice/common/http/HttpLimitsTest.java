package io.sluice.common.http;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The limits every {@link HttpListener} keeps, through the properties a user sets: the pom sets the
 * request time to 2 s and the connection cap to 20 for this JVM, as a user would with -D.
 */
class HttpLimitsTest {

    private static final HttpLimits LIMITS = HttpLimits.fromSystemProperties();
    private static final long LIMIT_MS = LIMITS.requestTime().toMillis();

    @Test
    void thePomsSettingsAreRead() {
        assertThat(LIMITS.requestTime()).isEqualTo(Duration.ofSeconds(2));
        assertThat(LIMITS.maxConnections()).isEqualTo(20);
        assertThat(LIMITS.idleTime()).isEqualTo(HttpLimits.defaults().idleTime());
    }

    @Test
    void aStalledRequestIsClosedWithinTheRequestTime() throws Exception {
        try (GuardedServer server = new GuardedServer(HttpAuth.none());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            long started = System.nanoTime();
            send(socket, "GET /re");
            assertClosedWithoutAnswerAfter(socket, started, LIMIT_MS);
        }
    }

    @Test
    void aClientTricklingItsHeadersIsCutOffThoughNeverIdle() throws Exception {
        try (GuardedServer server = new GuardedServer(HttpAuth.none());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            long started = System.nanoTime();
            long cut = trickle(socket, "GET /read HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a".repeat(1000), started);
            assertThat(cut).as("ms until cut").isBetween(LIMIT_MS - 100, LIMIT_MS + 1500);
        }
    }

    @Test
    void aClientTricklingItsBodyIsCutOffWithinTheRequestTimeOfItsHeaders() throws Exception {
        try (GuardedServer server = new GuardedServer(HttpAuth.none());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            send(socket, "POST /append HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n");
            long started = System.nanoTime();
            long cut = trickle(socket, " ".repeat(1000), started);
            assertThat(cut).as("ms until cut").isBetween(LIMIT_MS - 100, LIMIT_MS + 1500);
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithinTheRequestTime() throws Exception {
        try (GuardedServer server = new GuardedServer(HttpAuth.none());
             Socket socket = new Socket("127.0.0.1", server.port())) {
            assertClosedWithoutAnswerAfter(socket, System.nanoTime(), LIMIT_MS);
        }
    }

    @Test
    void anAnswerThatTakesLongerThanTheRequestTimeIsNotCut() throws Exception {
        try (HttpListener server = HttpListener.bind("127.0.0.1", 0, 16)) {
            server.route("/slow", HttpLimitsTest::answerLate);
            server.start();
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout((int) (3 * LIMIT_MS + 10_000));
                send(socket, "GET /slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("late");
            }
        }
    }

    @Test
    void connectionsOverTheCapAreClosedAtOnceAndTheCapFreesAsTheyClose() throws Exception {
        try (GuardedServer server = new GuardedServer(HttpAuth.none())) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < LIMITS.maxConnections(); i++) held.add(new Socket("127.0.0.1", server.port()));
                Thread.sleep(300); // every one accepted
                try (Socket over = new Socket("127.0.0.1", server.port())) {
                    over.setSoTimeout(1000);
                    long started = System.nanoTime();
                    assertThat(readOrTimeout(over)).as("over the cap: closed").isEqualTo(-1);
                    assertThat((System.nanoTime() - started) / 1_000_000).as("ms until closed").isLessThan(LIMIT_MS / 2);
                }
            } finally {
                for (Socket s : held) s.close();
            }
            Thread.sleep(300);
            try (Socket later = new Socket("127.0.0.1", server.port())) {
                later.setSoTimeout(5000);
                send(later, "GET /read HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
                assertThat(new String(later.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200 ");
            }
        }
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> new HttpLimits(Duration.ZERO, Duration.ofSeconds(1), 1))
                .hasMessageContaining(HttpLimits.REQUEST_TIMEOUT_MS);
        assertThatThrownBy(() -> new HttpLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 0))
                .hasMessageContaining(HttpLimits.MAX_CONNECTIONS);
    }

    private static void answerLate(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                Thread.sleep(LIMIT_MS + 1500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            exchange.sendResponseHeaders(200, 4);
            exchange.getResponseBody().write("late".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** Sends {@code text} a byte every 100 ms until the server closes; the ms from {@code started} until then. */
    private static long trickle(Socket socket, String text, long started) throws IOException {
        socket.setSoTimeout(100);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (int i = 0; i < text.length(); i++) {
            try {
                out.write(text.charAt(i));
                out.flush();
            } catch (IOException e) {
                return (System.nanoTime() - started) / 1_000_000; // reset: the server closed it
            }
            try {
                int read = in.read();
                assertThat(read).as("trickled request answered").isEqualTo(-1);
                return (System.nanoTime() - started) / 1_000_000;
            } catch (SocketTimeoutException e) {
                // still open: the next byte
            } catch (IOException e) {
                return (System.nanoTime() - started) / 1_000_000;
            }
        }
        throw new AssertionError("the server let a trickling client send " + text.length() + " bytes over "
                + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private static void assertClosedWithoutAnswerAfter(Socket socket, long started, long limitMs) throws IOException {
        socket.setSoTimeout((int) limitMs + 10_000);
        int read = readOrTimeout(socket);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(read).as("closed without an answer").isEqualTo(-1);
        assertThat(tookMs).isBetween(limitMs - 100, limitMs + 1500);
    }

    /** The first byte, -1 when closed (or reset); fails when nothing happens within the socket's timeout. */
    private static int readOrTimeout(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open past " + socket.getSoTimeout() + " ms", e);
        } catch (IOException e) {
            return -1;
        }
    }
}
