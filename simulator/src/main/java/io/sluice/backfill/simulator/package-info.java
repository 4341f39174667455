/**
 * The PDS simulator: one loopback HTTP server that plays many atproto PDS hosts and the PLC
 * directory for their accounts, for tests, the demo and the backfill benchmark
 * ({@code sluice simulate-pds}). Entry point: {@link io.sluice.backfill.simulator.PdsSimulator}
 * with a {@link io.sluice.backfill.simulator.PdsSimulatorConfig}.
 *
 * <p>Addressing. A DID document's {@code serviceEndpoint} is {@code http://127.0.0.1:PORT/pds/<host>}
 * with host names like {@code pds-07.sim.test}, so any HTTP client can call
 * {@code {endpoint}/xrpc/com.atproto.sync.getRepo?did=...} with no DNS tricks. Requests to
 * {@code /xrpc/...} with {@code Host: pds-07.sim.test} reach the same host, for clients that map
 * {@code *.sim.test} to loopback. Because every virtual host shares one IP and port, a rate-limit
 * key for "the PDS" must be the whole normalised endpoint (scheme, host, port, path), not the URL's
 * host: for real PDSes, whose endpoints have no path, the two coincide.
 *
 * <p>Checking a backfill: {@link io.sluice.backfill.simulator.PdsSimulator#expected} and
 * {@code expectedTotal} (also {@code GET /admin/expected[?did=]}) give record counts and a
 * {@link io.sluice.backfill.simulator.RecordChecksum}; {@code stats()} ({@code GET /admin/stats})
 * gives per-host requests, rate-limit violations and injected faults per window.
 */
package io.sluice.backfill.simulator;
