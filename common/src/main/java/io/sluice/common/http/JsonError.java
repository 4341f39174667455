package io.sluice.common.http;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one shape of every HTTP error sluice's servers answer: {@code {"error": code, "message": text,
 * "status": N}} with {@code Content-Type: application/json}, so a client never has to parse a server's
 * HTML error page. Written by hand: common has no JSON library, and three string fields need none.
 */
public final class JsonError {

    private JsonError() {
    }

    /** The body for {@code status}; {@code code} is machine-readable (bad_request), {@code message} for people. */
    public static byte[] body(int status, String code, String message) {
        return ("{\"error\":" + quote(code) + ",\"message\":" + quote(message) + ",\"status\":" + status + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the error and closes the exchange; what is left of the request body is drained first ({@link UnreadBodies}). */
    public static void send(HttpExchange exchange, int status, String code, String message) throws IOException {
        try (exchange) {
            UnreadBodies.drainOrClose(exchange);
            byte[] body = body(status, code, message);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
