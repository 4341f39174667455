package io.sluice.backfill.simulator;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.InstantSource;

/**
 * What every virtual PDS host answers under {@code /xrpc/}: {@code com.atproto.sync.getRepo},
 * {@code com.atproto.sync.getLatestCommit} and {@code com.atproto.server.describeServer}.
 *
 * <p>Order per request, as on a real PDS: the rate limiter counts the request and rejects it with
 * 429 when the window's budget is spent (a violation); then the latency; then the injected fault
 * if any (storm or single 429, 5xx, or for {@code getRepo} a truncated or slow body); then the
 * method. Every response carries {@code ratelimit-limit}, {@code ratelimit-remaining},
 * {@code ratelimit-reset} (Unix seconds) and {@code ratelimit-policy}; 429s add
 * {@code retry-after} (seconds).
 */
final class XrpcService {

    private final Population population;
    private final RepoStore repos;
    private final InstantSource clock;
    private final String policy;
    private final int slowBytesPerSecond;
    private final int baseLatencyMillis;

    XrpcService(PdsSimulatorConfig config, Population population, RepoStore repos, InstantSource clock) {
        this.population = population;
        this.repos = repos;
        this.clock = clock;
        this.policy = config.rateLimit().header();
        this.slowBytesPerSecond = config.faults().slowBytesPerSecond();
        this.baseLatencyMillis = config.latency().fixedMillis();
    }

    void handle(Exchange exchange, VirtualHost host, String method) throws IOException {
        long now = clock.millis();
        WindowLimiter.Admission admission = host.arrive(now);
        rateLimitHeaders(exchange, admission.limit(), admission.remaining(), admission.resetEpochSeconds());
        if (!admission.admitted()) {
            sleep(baseLatencyMillis); // the network part of the latency; rejected requests draw no fault
            exchange.responseHeader("retry-after", Long.toString(Math.max(1, admission.resetEpochSeconds() - now / 1000)));
            Responses.xrpcError(exchange, 429, "RateLimitExceeded", "Rate Limit Exceeded");
            return;
        }
        FaultPlan.Draw draw = host.nextDraw(now);
        sleep(draw.latencyMillis());
        if (draw.fault() == FaultKind.STORM) {
            host.injected(FaultKind.STORM);
            long end = Math.ceilDiv(host.stormUntil(), 1000);
            rateLimitHeaders(exchange, admission.limit(), 0, end);
            exchange.responseHeader("retry-after", Long.toString(Math.max(1, end - now / 1000)));
            Responses.xrpcError(exchange, 429, "RateLimitExceeded", "Rate Limit Exceeded");
            return;
        }
        if (draw.fault() == FaultKind.RATE_LIMIT) {
            host.injected(FaultKind.RATE_LIMIT);
            exchange.responseHeader("retry-after", "1");
            Responses.xrpcError(exchange, 429, "RateLimitExceeded", "Rate Limit Exceeded");
            return;
        }
        if (draw.fault() == FaultKind.SERVER_ERROR) {
            host.injected(FaultKind.SERVER_ERROR);
            Responses.xrpcError(exchange, draw.serverErrorStatus(), "InternalServerError", "Internal Server Error (injected)");
            return;
        }
        switch (method) {
            case "com.atproto.sync.getRepo" -> getRepo(exchange, host, draw);
            case "com.atproto.sync.getLatestCommit" -> latestCommit(exchange, host);
            case "com.atproto.server.describeServer" -> describeServer(exchange, host);
            default -> {
                host.clientError();
                Responses.xrpcError(exchange, 501, "MethodNotImplemented", "Method Not Implemented");
            }
        }
    }

    private void getRepo(Exchange exchange, VirtualHost host, FaultPlan.Draw draw) throws IOException {
        int index = account(exchange, host);
        if (index < 0) {
            return;
        }
        RepoBody body = repos.body(index);
        long length = body.length();
        exchange.responseHeader("content-type", "application/vnd.ipld.car");
        OutputStream raw = exchange.stream(200, length);
        BodyStreams.Counting counted = new BodyStreams.Counting(raw);
        OutputStream out = counted;
        if (draw.fault() == FaultKind.SLOW) {
            out = new BodyStreams.Throttled(out, slowBytesPerSecond);
        }
        if (draw.fault() == FaultKind.TRUNCATED) {
            out = new BodyStreams.Cutoff(out, (long) (length * draw.cut()));
        }
        if (!(body instanceof RepoBody.InMemory)) {
            out = new BufferedOutputStream(out, 64 * 1024); // a streamed body arrives in many small writes
        }
        try {
            body.writeTo(out);
            out.flush();
        } catch (BodyStreams.CutReached cut) {
            exchange.abort(); // what was written goes out, then the connection closes short of Content-Length
            host.injected(FaultKind.TRUNCATED);
            host.sent(counted.count());
            return;
        }
        if (draw.fault() == FaultKind.SLOW) {
            host.injected(FaultKind.SLOW);
        }
        host.servedRepo(counted.count());
    }

    private void latestCommit(Exchange exchange, VirtualHost host) throws IOException {
        int index = account(exchange, host);
        if (index >= 0) {
            ExpectedRepo repo = repos.expected(index);
            Responses.json(exchange, 200, SimulatorStats.JSON.createObjectNode().put("cid", repo.commit()).put("rev", repo.rev()).toString());
            host.served(0);
        }
    }

    private void describeServer(Exchange exchange, VirtualHost host) throws IOException {
        var doc = SimulatorStats.JSON.createObjectNode();
        doc.put("did", "did:web:" + host.name);
        doc.putArray("availableUserDomains").add("." + host.name);
        doc.put("inviteCodeRequired", true);
        Responses.json(exchange, 200, doc.toString());
        host.served(0);
    }

    /** The account named by {@code ?did=} if it lives on {@code host}; otherwise answers 400 and returns -1. */
    private int account(Exchange exchange, VirtualHost host) throws IOException {
        String did = exchange.query("did");
        if (did == null || did.isEmpty()) {
            host.clientError();
            Responses.xrpcError(exchange, 400, "InvalidRequest", "Error: Params must have the property \"did\"");
            return -1;
        }
        int index = population.indexOf(did);
        if (index < 0 || population.hostOf(index) != host.index) {
            host.clientError();
            Responses.xrpcError(exchange, 400, "RepoNotFound", "Could not find repo for DID: " + did);
            return -1;
        }
        return index;
    }

    private void rateLimitHeaders(Exchange exchange, int limit, int remaining, long reset) {
        exchange.responseHeader("ratelimit-limit", Integer.toString(limit));
        exchange.responseHeader("ratelimit-remaining", Integer.toString(remaining));
        exchange.responseHeader("ratelimit-reset", Long.toString(reset));
        exchange.responseHeader("ratelimit-policy", policy);
    }

    private static void sleep(int millis) throws IOException {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while simulating latency");
            }
        }
    }
}
