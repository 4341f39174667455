package io.sluice.common.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;

/**
 * What to do, before answering, with a request body the handler did not read (an early 401, 404 or
 * 415 on a POST). Jetty closes a keep-alive connection whose request still has unread bytes, after
 * the answer, without saying so; a client that has meanwhile sent its next request on it then sees
 * the connection fail. So up to {@value #DRAIN_BYTES} bytes are read and dropped (as the JDK's own
 * server does), and past that the answer says {@code Connection: close}.
 */
public final class UnreadBodies {

    static final int DRAIN_BYTES = 64 * 1024;

    private UnreadBodies() {
    }

    /** Call before sending the answer's headers. */
    public static void drainOrClose(HttpExchange exchange) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] scratch = new byte[8192];
        long left = DRAIN_BYTES;
        while (left > 0) {
            int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
            if (n < 0) return;
            left -= n;
        }
        if (in.read() >= 0) exchange.getResponseHeaders().set("Connection", "close");
    }
}
