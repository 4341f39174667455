package io.sluice.backfill.simulator;

/**
 * Everything a {@link PdsSimulator} needs, validated here once. Immutable; build with
 * {@link #builder()} (defaults: 4 hosts, 100 DIDs, seed 1, 10..200 records per repository, the
 * reference PDS rate limit 3000 per 300 s, no latency, no faults, a 64 MiB repository cache, a
 * free port). The server always binds to 127.0.0.1.
 *
 * @param hosts          virtual PDS hosts; DID {@code i} lives on host {@code i % hosts}
 * @param dids           simulated accounts, all {@code did:plc}
 * @param seed           everything generated (DIDs, records, fault draws) is a function of it
 * @param records        records per repository
 * @param rateLimit      enforced per virtual host
 * @param latency        added before each virtual host response
 * @param faults         injected into admitted requests
 * @param bigRepoBytes   when positive, DID 0 instead holds one repository of about this many bytes,
 *                       generated as a stream on each request and never held in memory
 * @param cacheBytes     generated CARs kept for reuse, least recently used evicted first
 * @param port           0 picks a free port
 */
public record PdsSimulatorConfig(int hosts, int dids, long seed, RecordCounts records, RateLimitPolicy rateLimit,
                                 Latency latency, Faults faults, long bigRepoBytes, long cacheBytes, int port) {

    /** Generated CARs kept by default: enough for tests, small beside any heap. */
    public static final long DEFAULT_CACHE_BYTES = 64L * 1024 * 1024;


    public static final int MAX_HOSTS = 10_000;
    public static final int MAX_DIDS = 10_000_000;
    /** The big repository must parse with the default CAR limits (256 MiB). */
    public static final long MAX_BIG_REPO_BYTES = 250L * 1024 * 1024;

    public PdsSimulatorConfig {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("hosts must be 1.." + MAX_HOSTS + ", got " + hosts);
        }
        if (dids < 1 || dids > MAX_DIDS) {
            throw new IllegalArgumentException("dids must be 1.." + MAX_DIDS + ", got " + dids);
        }
        require(records, "records");
        require(rateLimit, "rateLimit");
        require(latency, "latency");
        require(faults, "faults");
        if (bigRepoBytes < 0 || bigRepoBytes > MAX_BIG_REPO_BYTES) {
            throw new IllegalArgumentException("bigRepoBytes must be 0 (none) .. " + MAX_BIG_REPO_BYTES + ", got " + bigRepoBytes);
        }
        if (bigRepoBytes > 0 && bigRepoBytes < 64 * 1024) {
            throw new IllegalArgumentException("bigRepoBytes below 64 KiB is not big; use records instead, got " + bigRepoBytes);
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes must not be negative, got " + cacheBytes);
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().hosts(hosts).dids(dids).seed(seed).records(records).rateLimit(rateLimit).latency(latency)
                .faults(faults).bigRepoBytes(bigRepoBytes).cacheBytes(cacheBytes).port(port);
    }

    private static void require(Object value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    /** Mutable and unvalidated until {@link #build()}. */
    public static final class Builder {
        private int hosts = 4;
        private int dids = 100;
        private int didsPerHost;
        private long seed = 1;
        private RecordCounts records = RecordCounts.uniform(10, 200);
        private RateLimitPolicy rateLimit = RateLimitPolicy.PDS_DEFAULT;
        private Latency latency = Latency.NONE;
        private Faults faults = Faults.NONE;
        private long bigRepoBytes;
        private long cacheBytes = DEFAULT_CACHE_BYTES;
        private int port;

        private Builder() {
        }

        public Builder hosts(int hosts) {
            this.hosts = hosts;
            return this;
        }

        /** Total DIDs, spread round-robin over the hosts. */
        public Builder dids(int dids) {
            this.dids = dids;
            this.didsPerHost = 0;
            return this;
        }

        /** DIDs per host instead of a total: {@code dids = didsPerHost * hosts}. */
        public Builder didsPerHost(int didsPerHost) {
            if (didsPerHost < 1) {
                throw new IllegalArgumentException("didsPerHost must be positive, got " + didsPerHost);
            }
            this.didsPerHost = didsPerHost;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder records(RecordCounts records) {
            this.records = records;
            return this;
        }

        public Builder rateLimit(RateLimitPolicy rateLimit) {
            this.rateLimit = rateLimit;
            return this;
        }

        public Builder rateLimit(int limit, int windowSeconds) {
            return rateLimit(new RateLimitPolicy(limit, windowSeconds));
        }

        public Builder latency(Latency latency) {
            this.latency = latency;
            return this;
        }

        public Builder latency(int fixedMillis, int jitterMillis) {
            return latency(new Latency(fixedMillis, jitterMillis));
        }

        public Builder faults(Faults faults) {
            this.faults = faults;
            return this;
        }

        public Builder bigRepoBytes(long bigRepoBytes) {
            this.bigRepoBytes = bigRepoBytes;
            return this;
        }

        public Builder cacheBytes(long cacheBytes) {
            this.cacheBytes = cacheBytes;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public PdsSimulatorConfig build() {
            long total = didsPerHost > 0 ? (long) didsPerHost * hosts : dids;
            if (total > MAX_DIDS) {
                throw new IllegalArgumentException("dids must be 1.." + MAX_DIDS + ", got " + total);
            }
            return new PdsSimulatorConfig(hosts, (int) total, seed, records, rateLimit, latency, faults,
                    bigRepoBytes, cacheBytes, port);
        }
    }
}
