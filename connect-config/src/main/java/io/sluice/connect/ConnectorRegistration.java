package io.sluice.connect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Registers a connector and waits until it runs. Consumes a connector file as Kafka Connect's
 * {@code POST /connectors} takes it ({@code {"name": …, "config": {…}}}, connect-config's
 * {@code mongodb-users-source.json}); puts its config (create or update) and polls the status until the
 * connector and every one of its tasks (at least one) are RUNNING. Fails at once, with Connect's stack
 * trace, when the connector or a task is FAILED, and after the timeout when they never get there.
 * Placeholders such as {@code ${file:…}} are left for the worker's config providers to resolve.
 */
public final class ConnectorRegistration {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A connector file: its name and config. */
    public record ConnectorFile(String name, ObjectNode config) {

        public static ConnectorFile parse(String json, String source) {
            JsonNode root;
            try {
                root = JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(source + " is not JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject() || !root.path("name").isTextual() || !root.path("config").isObject()) {
                throw new IllegalArgumentException(source + " must be {\"name\": \"...\", \"config\": {...}}, "
                        + "the form POST /connectors takes");
            }
            ObjectNode config = ((ObjectNode) root.get("config")).deepCopy();
            String name = root.get("name").asText();
            if (config.has("name") && !config.get("name").asText().equals(name)) {
                throw new IllegalArgumentException(source + ": config.name '" + config.get("name").asText()
                        + "' differs from name '" + name + "'");
            }
            return new ConnectorFile(name, config);
        }
    }

    /** What the last status said, for progress lines and errors. */
    public record State(String connector, List<String> tasks) {
        public boolean running() {
            return connector.equals("RUNNING") && !tasks.isEmpty() && tasks.stream().allMatch("RUNNING"::equals);
        }

        @Override
        public String toString() {
            return "connector " + connector + ", tasks " + (tasks.isEmpty() ? "none yet" : tasks);
        }
    }

    private final ConnectRestClient client;
    private final Duration pollInterval;

    public ConnectorRegistration(ConnectRestClient client, Duration pollInterval) {
        this.client = client;
        this.pollInterval = pollInterval;
    }

    /**
     * @return the state once the connector and its tasks run
     * @throws IllegalStateException naming what FAILED, with Connect's trace, or what was not RUNNING in time
     */
    public State register(ConnectorFile file, Duration timeout, Consumer<String> progress) throws IOException, InterruptedException {
        boolean created = client.putConfig(file.name(), file.config());
        progress.accept((created ? "created" : "updated") + " connector " + file.name() + " at " + client.base());
        long deadline = System.nanoTime() + timeout.toNanos();
        State last = null;
        while (true) {
            Optional<JsonNode> status = client.status(file.name());
            if (status.isPresent()) {
                State state = state(status.get());
                failure(file.name(), status.get()).ifPresent(message -> {
                    throw new IllegalStateException(message);
                });
                if (state.running()) return state;
                if (!state.equals(last)) progress.accept("waiting: " + state);
                last = state;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("connector " + file.name() + " is not RUNNING after " + timeout.toSeconds()
                        + " s: " + (last == null ? "Connect does not report its status" : last));
            }
            Thread.sleep(pollInterval.toMillis());
        }
    }

    static State state(JsonNode status) {
        List<String> tasks = new ArrayList<>();
        for (JsonNode task : status.path("tasks")) tasks.add(task.path("state").asText("UNKNOWN"));
        return new State(status.path("connector").path("state").asText("UNKNOWN"), tasks);
    }

    /** The first FAILED part of a status, with its worker and trace. */
    static Optional<String> failure(String name, JsonNode status) {
        JsonNode connector = status.path("connector");
        if ("FAILED".equals(connector.path("state").asText())) {
            return Optional.of(describe("connector " + name, connector));
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return Optional.of(describe("task " + task.path("id").asText("?") + " of connector " + name, task));
            }
        }
        return Optional.empty();
    }

    private static String describe(String what, JsonNode part) {
        String worker = part.path("worker_id").asText("");
        String trace = part.path("trace").asText("");
        return what + " FAILED" + (worker.isEmpty() ? "" : " on worker " + worker)
                + (trace.isEmpty() ? " (Connect gave no trace; see the worker's log)" : ":\n" + trace.strip());
    }
}
