package io.sluice.testing;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A request sent byte for byte, as curl or a hand-written client would: java.net.http refuses to send
 * what a hostile or careless client does (a malformed percent-escape, a raw '{').
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** Sends {@code request} on a new connection to {@code base}'s host and port; the whole answer, read until the server closes. */
    public static String exchange(URI base, String request) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
