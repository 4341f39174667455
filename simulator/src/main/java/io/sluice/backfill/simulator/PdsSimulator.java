package io.sluice.backfill.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many simulated PDS hosts and their PLC directory on one loopback HTTP server, for tests, the
 * demo and the backfill benchmark.
 *
 * <p>Consumes a {@link PdsSimulatorConfig}. Produces: DID documents at {@code {plcUrl}/{did}};
 * for each virtual host an endpoint {@code {baseUrl}/pds/<host>} (e.g.
 * {@code http://127.0.0.1:PORT/pds/pds-07.sim.test}) serving {@code /xrpc/com.atproto.sync.getRepo}
 * and friends; and the counters ({@link #stats()}, {@code GET /admin/stats}) and expectations
 * ({@link #expected}, {@code GET /admin/expected}) a test or benchmark checks against.
 *
 * <p>Guarantees: repositories are real atproto repositories (DAG-CBOR, sha2-256 CIDv1, the
 * spec's MST, a version-3 commit as CAR root) and a pure function of the seed, so two simulators
 * with one config serve identical bytes; each virtual host enforces its own rate limit in fixed
 * epoch-aligned windows and counts every request; faults are drawn from a seeded sequence per host.
 *
 * <p>A virtual host's identity is its endpoint URL: all hosts share 127.0.0.1 and one port, so
 * whatever keys rate limits by PDS must key on the DID document's whole {@code serviceEndpoint}
 * (scheme, host, port and path), not on the URL's host alone; for real PDSes, whose endpoints
 * have no path, that is the same thing.
 */
public final class PdsSimulator implements AutoCloseable {

    private final PdsSimulatorConfig config;
    private final Population population;
    private final RepoStore repos;
    private final LoopbackHttpServer server;
    private final SimulatorHandler handler;
    private final String baseUrl;
    private final List<VirtualHost> hosts = new ArrayList<>();
    private final LongAdder plcRequests = new LongAdder();

    private PdsSimulator(PdsSimulatorConfig config, InstantSource clock) throws IOException {
        this.config = config;
        this.population = new Population(config);
        this.repos = new RepoStore(config, population);
        this.server = new LoopbackHttpServer(config.port());
        this.baseUrl = "http://127.0.0.1:" + server.port();
        try {
            FaultPlan faults = new FaultPlan(config.seed(), config.faults(), config.latency());
            Map<String, VirtualHost> byName = new LinkedHashMap<>();
            for (int h = 0; h < population.hostCount(); h++) {
                String name = population.hostName(h);
                VirtualHost host = new VirtualHost(h, name, baseUrl + "/pds/" + name, config.rateLimit(), faults,
                        config.faults().stormMillis());
                hosts.add(host);
                byName.put(name, host);
            }
            PlcDirectory plc = new PlcDirectory(config.seed(), population, h -> hosts.get(h).endpoint);
            XrpcService xrpc = new XrpcService(config, population, repos, clock);
            this.handler = new SimulatorHandler(this, byName, xrpc, plc, plcRequests);
        } catch (RuntimeException e) {
            server.close(); // bound but never started: give the port back
            throw e;
        }
    }

    public static PdsSimulator start(PdsSimulatorConfig config) throws IOException {
        return start(config, InstantSource.system());
    }

    /** Starts with {@code clock} deciding rate-limit windows and storms (latency and pacing use real time). */
    public static PdsSimulator start(PdsSimulatorConfig config, InstantSource clock) throws IOException {
        PdsSimulator simulator = new PdsSimulator(config, clock);
        simulator.server.start(simulator.handler);
        return simulator;
    }

    public PdsSimulatorConfig config() {
        return config;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return server.port();
    }

    /** The PLC directory: resolve with {@code GET {plcUrl}/{did}}, as with {@code https://plc.directory}. */
    public String plcUrl() {
        return baseUrl + "/plc";
    }

    /** Every simulated DID, in index order. */
    public List<String> dids() {
        return population.dids();
    }

    public boolean simulates(String did) {
        return population.indexOf(did) >= 0;
    }

    /** Virtual host names ({@code pds-00.sim.test}, ...), in index order. */
    public List<String> hosts() {
        return hosts.stream().map(h -> h.name).toList();
    }

    /** The endpoint of host {@code name}: what DID documents carry as {@code serviceEndpoint}. */
    public String endpointOfHost(String name) {
        return hosts.get(hostIndex(name)).endpoint;
    }

    /** The PDS endpoint of {@code did}'s account. */
    public String endpointOf(String did) {
        return hosts.get(population.hostOf(index(did))).endpoint;
    }

    /** The virtual host name of {@code did}'s PDS. */
    public String hostOf(String did) {
        return population.hostName(population.hostOf(index(did)));
    }

    public String handleOf(String did) {
        return population.handle(index(did));
    }

    /** The DID holding the big streamed repository, when {@code bigRepoBytes} is set. */
    public java.util.Optional<String> bigRepoDid() {
        return config.bigRepoBytes() > 0 ? java.util.Optional.of(population.did(0)) : java.util.Optional.empty();
    }

    /** What {@code did}'s repository holds; generates it if it was not yet. */
    public ExpectedRepo expected(String did) {
        return repos.expected(index(did));
    }

    /**
     * {@code did}'s account commits without changing a record (as after creating and deleting one): its
     * repository gets a later revision, with the same records. For tests of reruns.
     */
    public void commit(String did) {
        repos.commit(index(did));
    }

    /** What all repositories hold together; generates every repository not generated yet, in parallel. */
    public ExpectedTotal expectedTotal() {
        return repos.total();
    }

    /**
     * Writes {@code did}'s {@code getRepo} CAR to {@code out} directly: no HTTP, no rate limit, no
     * faults, not counted. For in-process baselines that must see the same bytes.
     */
    public void writeRepo(String did, OutputStream out) throws IOException {
        repos.body(index(did)).writeTo(out);
    }

    public SimulatorStats stats() {
        List<HostStats> perHost = hosts.stream().map(VirtualHost::snapshot).toList();
        return new SimulatorStats(config.rateLimit().limit(), config.rateLimit().windowSeconds(), plcRequests.sum(),
                StatsTotals.of(perHost), perHost);
    }

    /** Zeroes every counter and window history (e.g. between a warm-up and a measured run). */
    public void resetStats() {
        hosts.forEach(VirtualHost::reset);
        plcRequests.reset();
    }

    /** Stops accepting, then ends the server; requests in flight are cut. */
    @Override
    public void close() {
        server.close();
    }

    private int index(String did) {
        int index = population.indexOf(did);
        if (index < 0) {
            throw new IllegalArgumentException("not a simulated DID: " + did);
        }
        return index;
    }

    private int hostIndex(String name) {
        int index = population.hostIndex(name);
        if (index < 0) {
            throw new IllegalArgumentException("not a simulated host: " + name + "; hosts are " + hosts().getFirst() + "...");
        }
        return index;
    }
}
