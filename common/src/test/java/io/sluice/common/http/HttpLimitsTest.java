package io.sluice.common.http;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that sends part of a request and then nothing is cut off after the request time. The pom
 * sets {@value HttpLimits#MAX_REQUEST_TIME} short for this JVM, as a user would with -D.
 */
class HttpLimitsTest {

    @Test
    void aStalledRequestIsClosedWithinTheRequestTime() throws Exception {
        long limitSeconds = Long.getLong(HttpLimits.MAX_REQUEST_TIME, 30);
        assertThat(limitSeconds).as("set short by the pom").isLessThanOrEqualTo(5);
        try (GuardedServer server = new GuardedServer(new HttpAuth(Optional.empty(), false));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) (limitSeconds + 10) * 1000);
            socket.getOutputStream().write("GET /re".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            long started = System.nanoTime();
            InputStream in = socket.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the stalled connection open past " + (limitSeconds + 10) + " s", e);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(read).as("closed without an answer").isEqualTo(-1);
            // the JDK checks once a second
            assertThat(tookMs).isBetween(limitSeconds * 1000 - 500, limitSeconds * 1000 + 3000);
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithinTheRequestTime() throws Exception {
        long limitSeconds = Long.getLong(HttpLimits.MAX_REQUEST_TIME, 30);
        try (GuardedServer server = new GuardedServer(new HttpAuth(Optional.empty(), false));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) (limitSeconds + 15) * 1000);
            long started = System.nanoTime();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept the silent connection open past " + (limitSeconds + 15) + " s", e);
            }
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertThat(read).as("closed without an answer").isEqualTo(-1);
            // checked every clockTick: the JDK's own 10 s would show here as up to 12 s
            assertThat(tookMs).isBetween(limitSeconds * 1000 - 500, limitSeconds * 1000 + 2000);
        }
    }

    @Test
    void userSettingsWin() {
        String before = System.getProperty(HttpLimits.MAX_REQUEST_TIME);
        HttpLimits.applyDefaults();
        assertThat(System.getProperty(HttpLimits.MAX_REQUEST_TIME)).isEqualTo(before);
        assertThat(System.getProperty(HttpLimits.MAX_CONNECTIONS)).isNotNull();
    }
}
