package io.sluice.backfill.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.backfill.net.AddressGuard;
import io.sluice.common.retry.Backoff;

import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Resolves one DID to its PDS: checks the DID ({@link DidMethods}), answers from the cache if it can,
 * else fetches the DID document (PLC directory or did:web host, the latter through the
 * {@link AddressGuard}), takes the {@code #atproto_pds} endpoint ({@link DidDocuments}) and checks its
 * host with the guard. Transient failures are retried up to {@code maxAttempts} times with exponential
 * backoff and full jitter, so that many lookups failing together do not retry in step.
 *
 * <p>Blocking and thread-safe: meant to run on many virtual threads at once.
 */
public final class DidResolver {

    /** Sleeps between attempts; a test replaces it to run without waiting. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final URI plcDirectory;
    private final DocumentSource documents;
    private final AddressGuard guard;
    private final ResolutionCache cache;
    private final int maxAttempts;
    private final Backoff backoff;
    private final Sleeper sleeper;
    final LongAdder cacheHits = new LongAdder();
    final LongAdder retries = new LongAdder();

    DidResolver(URI plcDirectory, DocumentSource documents, AddressGuard guard, ResolutionCache cache,
                int maxAttempts, Duration backoffMin, Duration backoffMax, Sleeper sleeper) {
        this.plcDirectory = plcDirectory;
        this.documents = documents;
        this.guard = guard;
        this.cache = cache;
        this.maxAttempts = maxAttempts;
        // Full jitter: many lookups failing together (the directory is down) do not retry in step.
        this.backoff = Backoff.doubling(backoffMin, backoffMax, 1);
        this.sleeper = sleeper;
    }

    public static DidResolver create(ResolverConfig config) {
        return new DidResolver(config.plcDirectory(),
                new DocumentClient(DocumentClient.newHttpClient(config.requestTimeout()), config.requestTimeout()),
                new AddressGuard(config.allowedNetworks()),
                new ResolutionCache(config.cacheSize(), config.cacheTtl(), System::nanoTime),
                config.maxAttempts(), config.backoffMin(), config.backoffMax(), d -> Thread.sleep(d));
    }

    public Resolution resolve(String did) throws InterruptedException {
        DidMethods.Location location;
        try {
            location = DidMethods.locate(did, plcDirectory);
        } catch (ResolutionException e) {
            return new Resolution.Failed(did, e.reason(), e.getMessage(), 0);
        }
        var cached = cache.get(did);
        if (cached.isPresent()) {
            cacheHits.increment();
            return new Resolution.Resolved(did, cached.get(), 0);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                PdsEndpoint pds = attempt(did, location);
                cache.put(did, pds);
                return new Resolution.Resolved(did, pds, attempt);
            } catch (ResolutionException e) {
                if (!e.isTransient()) return new Resolution.Failed(did, e.reason(), e.getMessage(), attempt);
                if (attempt >= maxAttempts) {
                    return new Resolution.Failed(did, FailureReason.RETRIES_EXHAUSTED,
                            "gave up after " + attempt + " attempts; last: " + e.getMessage(), attempt);
                }
                retries.increment();
                sleeper.sleep(backoff(attempt));
            }
        }
    }

    private PdsEndpoint attempt(String did, DidMethods.Location location) throws ResolutionException, InterruptedException {
        if (location.guardedHost() != null) check(location.guardedHost());
        JsonNode document = documents.get(location.url());
        PdsEndpoint pds = DidDocuments.pdsEndpoint(document, did);
        check(pds.host());
        return pds;
    }

    private void check(String host) throws ResolutionException {
        Optional<String> refused;
        try {
            refused = guard.refusal(host);
        } catch (UnknownHostException e) {
            throw ResolutionException.retryable("host " + host + " does not resolve", e);
        }
        if (refused.isPresent()) throw ResolutionException.permanent(FailureReason.FORBIDDEN_ADDRESS, refused.get());
    }

    /** Full jitter: uniform in [min, min(max, min * 2^(attempt-1))]. */
    Duration backoff(int attempt) {
        return backoff.delay(attempt);
    }
}
