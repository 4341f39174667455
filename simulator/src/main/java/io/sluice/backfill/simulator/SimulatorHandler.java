package io.sluice.backfill.simulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Routes every request of the one server:
 * <ul>
 *   <li>{@code /pds/<host>/xrpc/<method>}: a virtual PDS host, addressed by path (the DID
 *       documents' endpoints), or {@code /xrpc/<method>} with {@code Host: <host>} for clients that
 *       resolve {@code *.sim.test} to loopback themselves;</li>
 *   <li>{@code /plc/<did>}: the PLC directory;</li>
 *   <li>{@code /admin/stats} (GET), {@code /admin/reset} (POST), {@code /admin/expected[?did=]},
 *       {@code /admin/dids} (text, one per line), {@code /admin/hosts}, {@code /admin/config}.</li>
 * </ul>
 * Only GET and POST are answered. A client that goes away mid-response only ends its own connection.
 */
final class SimulatorHandler implements LoopbackHttpServer.Handler {

    private final PdsSimulator simulator;
    private final Map<String, VirtualHost> hosts;
    private final XrpcService xrpc;
    private final PlcDirectory plc;
    private final LongAdder plcRequests;

    SimulatorHandler(PdsSimulator simulator, Map<String, VirtualHost> hosts, XrpcService xrpc, PlcDirectory plc,
                     LongAdder plcRequests) {
        this.simulator = simulator;
        this.hosts = hosts;
        this.xrpc = xrpc;
        this.plc = plc;
        this.plcRequests = plcRequests;
    }

    @Override
    public void handle(Exchange exchange) throws IOException {
        if (!exchange.method().equals("GET") && !exchange.method().equals("POST")) {
            Responses.xrpcError(exchange, 405, "MethodNotAllowed", "the simulator answers GET (and POST /admin/reset)");
            return;
        }
        route(exchange, exchange.path());
    }

    private void route(Exchange exchange, String path) throws IOException {
        if (path.startsWith("/pds/")) {
            int slash = path.indexOf('/', 5);
            VirtualHost host = slash < 0 ? null : hosts.get(path.substring(5, slash));
            if (host != null && path.startsWith("/xrpc/", slash)) {
                xrpc.handle(exchange, host, path.substring(slash + 6));
                return;
            }
        } else if (path.startsWith("/xrpc/")) {
            VirtualHost host = hosts.get(hostHeader(exchange));
            if (host != null) {
                xrpc.handle(exchange, host, path.substring(6));
                return;
            }
        } else if (path.startsWith("/plc/")) {
            plcRequests.increment();
            String did = java.net.URLDecoder.decode(path.substring(5), StandardCharsets.UTF_8);
            String document = plc.document(did);
            if (document != null) {
                exchange.send(200, "application/did+ld+json; charset=utf-8", document.getBytes(StandardCharsets.UTF_8));
            } else {
                Responses.json(exchange, 404, SimulatorStats.JSON.createObjectNode().put("message", "DID not registered: " + did).toString());
            }
            return;
        } else if (path.startsWith("/admin/")) {
            admin(exchange, path.substring(7));
            return;
        }
        Responses.xrpcError(exchange, 404, "NotFound", "no simulated resource at " + path);
    }

    private void admin(Exchange exchange, String what) throws IOException {
        switch (what) {
            case "stats" -> Responses.json(exchange, 200, simulator.stats().toJson());
            case "reset" -> {
                if (!"POST".equals(exchange.method())) {
                    Responses.xrpcError(exchange, 405, "MethodNotAllowed", "POST /admin/reset");
                    return;
                }
                simulator.resetStats();
                exchange.send(204, "text/plain", new byte[0]);
            }
            case "expected" -> {
                String did = exchange.query("did");
                if (did == null) {
                    Responses.json(exchange, 200, simulator.expectedTotal());
                } else if (simulator.simulates(did)) {
                    Responses.json(exchange, 200, simulator.expected(did));
                } else {
                    Responses.xrpcError(exchange, 404, "NotFound", "not a simulated DID: " + did);
                }
            }
            case "dids" -> exchange.send(200, "text/plain; charset=utf-8",
                    (String.join("\n", simulator.dids()) + "\n").getBytes(StandardCharsets.UTF_8));
            case "hosts" -> Responses.json(exchange, 200, hosts.values().stream()
                    .sorted(java.util.Comparator.comparingInt(h -> h.index))
                    .map(h -> Map.of("host", h.name, "endpoint", h.endpoint)).toList());
            case "config" -> Responses.json(exchange, 200, simulator.config());
            default -> Responses.xrpcError(exchange, 404, "NotFound", "admin endpoints: " + List.of("stats", "reset",
                    "expected", "dids", "hosts", "config"));
        }
    }

    /** The Host header's name without port, lower case; null when absent. */
    private static String hostHeader(Exchange exchange) {
        String host = exchange.header("host");
        if (host == null) {
            return null;
        }
        int colon = host.lastIndexOf(':');
        return (colon > 0 ? host.substring(0, colon) : host).toLowerCase(java.util.Locale.ROOT);
    }
}
