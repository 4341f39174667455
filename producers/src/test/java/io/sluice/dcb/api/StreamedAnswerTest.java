package io.sluice.dcb.api;

import com.sun.net.httpserver.HttpExchange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A streamed answer on the real HTTP listener: complete when its stream completes; when the stream fails
 * half-way, the client sees the connection fail, never a shorter answer that looks complete; the
 * stream's resources are closed either way.
 */
class StreamedAnswerTest {

    @Test
    void aStreamThatFailsHalfWayDropsTheConnectionInsteadOfEndingTheAnswer() throws Exception {
        AtomicBoolean closed = new AtomicBoolean();
        try (DcbHttpServer server = DcbHttpServer.start("127.0.0.1", 0, new Streaming(false, closed), new Streaming(true, closed));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());

            HttpResponse<String> complete = http.send(HttpRequest.newBuilder(base.resolve("/append"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(complete.statusCode()).isEqualTo(200);
            assertThat(complete.body()).isEqualTo("[" + "{\"n\":1},".repeat(10_000) + "{\"n\":1}]");
            assertThat(closed).isTrue();

            closed.set(false);
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(base.resolve("/read")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
            assertThat(closed).isTrue();
        }
    }

    /** Writes 10,001 small objects; with {@code fail}, throws after the first 10,000 instead of finishing. */
    private static final class Streaming extends JsonHandler {
        private final boolean fail;
        private final AtomicBoolean closed;

        Streaming(boolean fail, AtomicBoolean closed) {
            super(fail ? "/read" : "/append", fail ? "GET" : "POST");
            this.fail = fail;
            this.closed = closed;
        }

        @Override
        Response respond(HttpExchange exchange, long startedNanos) {
            return Response.streamed(new Stream() {
                @Override
                public void writeTo(OutputStream out) throws Exception {
                    out.write(("[" + "{\"n\":1},".repeat(10_000)).getBytes(StandardCharsets.UTF_8));
                    if (fail) throw new SQLException("connection lost", "08006");
                    out.write("{\"n\":1}]".getBytes(StandardCharsets.UTF_8));
                }

                @Override
                public void close() {
                    closed.set(true);
                }
            });
        }
    }
}
