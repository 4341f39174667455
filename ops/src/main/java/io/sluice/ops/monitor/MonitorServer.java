package io.sluice.ops.monitor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.sluice.common.http.HttpGuard;
import io.sluice.common.http.HttpListener;
import io.sluice.common.http.JsonError;
import io.sluice.stack.PostgresEndpoint;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The monitor: samples the pipeline's state every {@link MonitorConfig#interval()} on a thread of its
 * own and serves it, as a self-contained page ({@code /}, {@code /monitor.js}, {@code /monitor.css},
 * from {@code ops/src/main/resources/monitor/}) that polls {@code /api/state} (JSON, the latest
 * {@link MonitorState}). {@code sluice monitor} runs one; {@code sluice demo} embeds one.
 */
public final class MonitorServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MonitorServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html", "/index.html", "index.html", "/monitor.js", "monitor.js", "/monitor.css", "monitor.css");

    private final MonitorConfig config;
    private final Admin admin;
    private final MonitorSampler sampler;
    private final ScheduledExecutorService ticker;
    private final AtomicReference<MonitorState> latest = new AtomicReference<>();
    private final HttpListener server;

    private MonitorServer(MonitorConfig config) {
        this.config = config;
        Map<String, Object> adminProps = config.connection().admin();
        adminProps.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-monitor");
        this.admin = Admin.create(adminProps);
        this.sampler = new MonitorSampler(config, admin, config.postgres().map(MonitorServer::dataSource));
        this.ticker = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("sluice-monitor-sampler").daemon().factory());
        try {
            this.server = HttpListener.bind(config.host(), config.port(), 32);
        } catch (UncheckedIOException e) {
            admin.close();
            ticker.shutdownNow();
            throw e;
        }
    }

    /** Takes a first sample (so the page never opens empty), then serves and keeps sampling. */
    public static MonitorServer start(MonitorConfig config) {
        MonitorServer m = new MonitorServer(config);
        m.tick();
        HttpGuard guard = new HttpGuard(config.auth());
        m.server.route("/api/state", m::state).getFilters().add(guard);
        m.server.route("/metrics", m::metrics).getFilters().add(guard);
        m.server.route("/", MonitorServer::asset).getFilters().add(guard);
        m.server.start();
        long every = config.interval().toMillis();
        m.ticker.scheduleWithFixedDelay(m::tick, every, every, TimeUnit.MILLISECONDS);
        log.info("monitor at {}", m.url());
        return m;
    }

    /** The page's URL (0.0.0.0 shown as 127.0.0.1). */
    public URI url() {
        InetSocketAddress a = server.address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    /** The latest sample. */
    public MonitorState state() {
        return latest.get();
    }

    private void tick() {
        try {
            latest.set(sampler.sample());
        } catch (RuntimeException e) {
            // the next tick tries again; the page keeps the last state and says when it was taken
            log.warn("monitor sample failed: {}", e.toString());
        }
    }

    private void state(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                notAllowed(exchange);
                return;
            }
            MonitorState state = latest.get();
            if (state == null) {
                JsonError.send(exchange, 503, "unavailable", "no sample yet");
                return;
            }
            byte[] body = JSON.writeValueAsBytes(Map.of("intervalMs", config.interval().toMillis(), "state", state));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            send(exchange, 200, body);
        }
    }

    /** The latest sample's group statuses for Prometheus: the same statuses as the page's. */
    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                notAllowed(exchange);
                return;
            }
            MonitorState state = latest.get();
            if (state == null) {
                JsonError.send(exchange, 503, "unavailable", "no sample yet");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            send(exchange, 200, MonitorMetrics.render(state).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void asset(HttpExchange exchange) throws IOException {
        try (exchange) {
            String name = ASSETS.get(exchange.getRequestURI().getPath());
            if (name == null) {
                JsonError.send(exchange, 404, "not_found", "no such resource: " + exchange.getRequestURI().getPath());
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                notAllowed(exchange);
                return;
            }
            byte[] body;
            try (InputStream in = MonitorServer.class.getResourceAsStream("/monitor/" + name)) {
                if (in == null) throw new IllegalStateException("monitor asset missing from the jar: " + name);
                body = in.readAllBytes();
            }
            String type = name.endsWith(".js") ? "text/javascript" : name.endsWith(".css") ? "text/css" : "text/html";
            exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
            send(exchange, 200, body);
        }
    }

    private static void notAllowed(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Allow", "GET");
        JsonError.send(exchange, 405, "method_not_allowed", exchange.getRequestURI().getPath() + " takes GET, not "
                + exchange.getRequestMethod());
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static DataSource dataSource(PostgresEndpoint pg) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pg.jdbcUrl());
        if (!pg.user().isEmpty()) ds.setUser(pg.user());
        if (!pg.password().isEmpty()) ds.setPassword(pg.password());
        ds.setApplicationName("sluice-monitor");
        ds.setConnectTimeout(5);
        return ds;
    }

    /** Stops serving and sampling. */
    @Override
    public void close() {
        server.close();
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sampler.close(); // after the ticker: the sampler's probe consumer is single-threaded
        admin.close();
    }
}
