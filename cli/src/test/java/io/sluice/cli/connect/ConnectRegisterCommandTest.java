package io.sluice.cli.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.cli.Sluice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sluice connect register} against a tiny HTTP server that answers as Kafka Connect's REST API does. */
class ConnectRegisterCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAME = "sluice-mongodb-users";
    private static final String NOT_FOUND = "404";

    private HttpServer server;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String putBody;
    private volatile int putStatus = 201;
    private volatile String putError;
    /** Status bodies to answer, one per GET; the last one repeats. {@link #NOT_FOUND} answers 404. */
    private final Deque<String> statuses = new ArrayDeque<>();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void startFakeConnect() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/connectors/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (exchange.getRequestMethod().equals("PUT") && path.equals("/connectors/" + NAME + "/config")) {
                putBody = body;
                respond(exchange, putStatus, putError != null ? putError : "{\"name\":\"" + NAME + "\",\"config\":" + body + "}");
            } else if (exchange.getRequestMethod().equals("GET") && path.equals("/connectors/" + NAME + "/status")) {
                String status;
                synchronized (statuses) {
                    status = statuses.size() > 1 ? statuses.poll() : statuses.peek();
                }
                if (status == null || status.equals(NOT_FOUND)) respond(exchange, 404, "{\"error_code\":404,\"message\":\"No status found for connector " + NAME + "\"}");
                else respond(exchange, 200, status);
            } else {
                respond(exchange, 404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String status(String connector, String... tasks) {
        StringBuilder t = new StringBuilder();
        for (int i = 0; i < tasks.length; i++) {
            if (i > 0) t.append(',');
            t.append("{\"id\":").append(i).append(",\"state\":\"").append(tasks[i]).append("\",\"worker_id\":\"connect:8083\"")
                    .append(tasks[i].equals("FAILED") ? ",\"trace\":\"org.apache.kafka.connect.errors.ConnectException: "
                            + "Error while attempting to connect to MongoDB\\n\\tat io.debezium.connector.mongodb.Foo.bar(Foo.java:1)\"" : "")
                    .append('}');
        }
        return "{\"name\":\"" + NAME + "\",\"connector\":{\"state\":\"" + connector + "\",\"worker_id\":\"connect:8083\"},"
                + "\"tasks\":[" + t + "],\"type\":\"source\"}";
    }

    private int run(String... args) {
        CommandLine cli = Sluice.commandLine();
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        ConnectRegisterCommand register = cli.getSubcommands().get("connect").getSubcommands().get("register").getCommand();
        register.pollInterval = Duration.ofMillis(10);
        return cli.execute(args);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void putsTheBundledConfigAndWaitsUntilConnectorAndTaskRun() throws Exception {
        statuses.add(NOT_FOUND);
        statuses.add(status("UNASSIGNED"));
        statuses.add(status("RUNNING", "UNASSIGNED"));
        statuses.add(status("RUNNING", "RUNNING"));

        assertThat(run("connect", "register", "--connect-url", url())).as(err.toString()).isZero();

        JsonNode bundled;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(ConnectRegisterCommand.BUNDLED_CONFIG)) {
            bundled = JSON.readTree(in);
        }
        assertThat(JSON.readTree(putBody)).isEqualTo(bundled.get("config"));
        assertThat(putBody).contains("${file:/opt/kafka/secrets/mongo.properties:user}"); // left for the worker
        assertThat(requests.getFirst()).isEqualTo("PUT /connectors/" + NAME + "/config");
        assertThat(requests).filteredOn(r -> r.startsWith("GET")).hasSize(4);
        assertThat(out.toString()).contains("connector " + NAME + " is RUNNING (1 task)");
        assertThat(err.toString()).contains("created connector " + NAME).contains("waiting: connector UNASSIGNED, tasks none yet");
    }

    @Test
    void aFailedTaskIsReportedWithConnectsTrace() {
        putStatus = 200;
        statuses.add(status("RUNNING", "FAILED"));

        assertThat(run("connect", "register", "--connect-url", url())).isEqualTo(1);

        assertThat(err.toString())
                .contains("updated connector " + NAME)
                .contains("task 0 of connector " + NAME + " FAILED on worker connect:8083")
                .contains("Error while attempting to connect to MongoDB");
    }

    @Test
    void aRejectedConfigShowsConnectsMessage() {
        putStatus = 400;
        putError = "{\"error_code\":400,\"message\":\"Connector configuration is invalid and contains 1 error(s)\"}";

        assertThat(run("connect", "register", "--connect-url", url())).isEqualTo(1);

        assertThat(err.toString()).contains("HTTP 400: Connector configuration is invalid and contains 1 error(s)");
    }

    @Test
    void givesUpAfterTheTimeoutNamingTheLastState() {
        statuses.add(status("RUNNING", "UNASSIGNED"));

        assertThat(run("connect", "register", "--connect-url", url(), "--timeout", "1")).isEqualTo(1);

        assertThat(err.toString()).contains("is not RUNNING after 1 s: connector RUNNING, tasks [UNASSIGNED]");
    }

    @Test
    void anUnreachableConnectSaysWhere() {
        String unreachable = url();
        server.stop(0);

        assertThat(run("connect", "register", "--connect-url", unreachable)).isEqualTo(1);

        assertThat(err.toString()).contains("cannot reach Kafka Connect at " + unreachable);
    }

    @Test
    void aConfigFileWithoutNameAndConfigIsAUsageError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("c.json"), "{\"connector.class\": \"x\"}");

        assertThat(run("connect", "register", "--connect-url", url(), "--config", file.toString())).isEqualTo(2);

        assertThat(err.toString()).contains("must be {\"name\": \"...\", \"config\": {...}}");
        assertThat(requests).isEmpty();
    }

    @Test
    void usesAGivenConfigFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("c.json"),
                "{\"name\": \"" + NAME + "\", \"config\": {\"connector.class\": \"x\", \"tasks.max\": \"2\"}}");
        statuses.add(status("RUNNING", "RUNNING", "RUNNING"));

        assertThat(run("connect", "register", "--connect-url", url() + "/", "--config", file.toString())).isZero();

        assertThat(JSON.readTree(putBody)).isEqualTo(JSON.readTree("{\"connector.class\": \"x\", \"tasks.max\": \"2\"}"));
        assertThat(out.toString()).contains("is RUNNING (2 tasks)");
    }
}
