package io.sluice.backfill.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Small helpers for writing complete JSON responses. */
final class Responses {

    private Responses() {
    }

    static void json(Exchange exchange, int status, String json) throws IOException {
        exchange.send(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    /** Any record or collection as snake-case JSON. */
    static void json(Exchange exchange, int status, Object value) throws IOException {
        try {
            json(exchange, status, SimulatorStats.JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("simulator responses always serialise", e);
        }
    }

    /** An XRPC error body: {@code {"error": ..., "message": ...}}. */
    static void xrpcError(Exchange exchange, int status, String error, String message) throws IOException {
        json(exchange, status, SimulatorStats.JSON.createObjectNode().put("error", error).put("message", message).toString());
    }
}
