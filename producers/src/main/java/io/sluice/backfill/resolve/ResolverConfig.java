package io.sluice.backfill.resolve;

import io.sluice.backfill.net.AddressGuard;
import io.sluice.backfill.net.CidrBlock;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.topics.TopicAdmin;
import io.sluice.schemas.topics.TopicNames;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the {@link Resolver} needs, validated once here.
 *
 * @param connection       Kafka and schema registry: every client is built from it
 * @param groupId          consumer group: start more instances with the same id to share the work
 * @param inputTopic       DidWorkItems, normally {@value TopicNames#BACKFILL_DIDS}
 * @param resolvedTopic    ResolvedDids out, keyed by {@link PdsEndpoint#url()}
 * @param statusTopic      DidStatus RESOLVED / FAILED out, keyed by DID
 * @param dlqTopic         DIDs that cannot be resolved, with {@code sluice.dlq.*} headers
 * @param plcDirectory     PLC directory base URL (http or https, no query)
 * @param allowedNetworks  networks exempt from the {@link AddressGuard} (empty in production)
 * @param maxInFlight      DID lookups running at once, per instance
 * @param maxAttempts      attempts per DID before a transient failure becomes {@code retries-exhausted}
 * @param backoffMin       delay after the first failed attempt; doubles each time, with jitter
 * @param backoffMax       cap of that delay
 * @param requestTimeout   timeout of one HTTP request (connect included)
 * @param cacheSize        resolved DIDs remembered (0 disables the cache)
 * @param cacheTtl         how long a resolution is reused
 * @param maxPollRecords   records per poll: the unit whose offsets are committed together
 * @param partitions       partitions of the output topics, when the resolver has to create them
 * @param clientId         client.id of the instance's consumer and producer: tells the instances of one group
 *                         apart in the broker's view of the group, its logs and the client metrics
 */
public record ResolverConfig(ConnectionSettings connection, String groupId, String inputTopic,
                             String resolvedTopic, String statusTopic, String dlqTopic, URI plcDirectory,
                             List<CidrBlock> allowedNetworks, int maxInFlight, int maxAttempts, Duration backoffMin,
                             Duration backoffMax, Duration requestTimeout, int cacheSize, Duration cacheTtl,
                             int maxPollRecords, int partitions, String clientId) {

    public static final URI DEFAULT_PLC_DIRECTORY = URI.create("https://plc.directory");
    public static final String DEFAULT_GROUP_ID = "sluice-resolver";
    public static final String DEFAULT_CLIENT_ID = "sluice-resolver";

    public ResolverConfig {
        Objects.requireNonNull(connection, "connection").requireRegistry();
        requireText(groupId, "groupId");
        requireText(inputTopic, "inputTopic");
        requireText(resolvedTopic, "resolvedTopic");
        requireText(statusTopic, "statusTopic");
        requireText(dlqTopic, "dlqTopic");
        Objects.requireNonNull(plcDirectory, "plcDirectory");
        String scheme = plcDirectory.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme) || plcDirectory.getHost() == null
                || plcDirectory.getRawQuery() != null || plcDirectory.getRawFragment() != null) {
            throw new IllegalArgumentException("plcDirectory must be an http(s) URL without query or fragment, got "
                    + plcDirectory);
        }
        allowedNetworks = List.copyOf(Objects.requireNonNull(allowedNetworks, "allowedNetworks"));
        requireRange(maxInFlight, 1, 10_000, "maxInFlight");
        requireRange(maxAttempts, 1, 100, "maxAttempts");
        requirePositive(backoffMin, "backoffMin");
        requirePositive(backoffMax, "backoffMax");
        if (backoffMax.compareTo(backoffMin) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffMin " + backoffMin);
        }
        requirePositive(requestTimeout, "requestTimeout");
        requireRange(cacheSize, 0, 10_000_000, "cacheSize");
        requirePositive(cacheTtl, "cacheTtl");
        requireRange(maxPollRecords, 1, 100_000, "maxPollRecords");
        requireRange(partitions, 1, 10_000, "partitions");
        requireText(clientId, "clientId");
    }

    /** Defaults: the public PLC directory, no allowlist, 64 in flight, 5 attempts from 200 ms to 10 s. */
    public static Builder builder(ConnectionSettings connection) {
        return new Builder(connection);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
    }

    private static void requireRange(int value, int min, int max, String name) {
        if (value < min || value > max) throw new IllegalArgumentException(name + " must be " + min + ".." + max + ", got " + value);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    }

    /** Fills in the defaults; {@link #build()} validates. */
    public static final class Builder {
        private final ConnectionSettings connection;
        private String groupId = DEFAULT_GROUP_ID;
        private String inputTopic = TopicNames.BACKFILL_DIDS;
        private String resolvedTopic = TopicNames.BACKFILL_RESOLVED;
        private String statusTopic = TopicNames.BACKFILL_STATUS;
        private String dlqTopic = TopicNames.BACKFILL_DLQ;
        private URI plcDirectory = DEFAULT_PLC_DIRECTORY;
        private List<CidrBlock> allowedNetworks = List.of();
        private int maxInFlight = 64;
        private int maxAttempts = 5;
        private Duration backoffMin = Duration.ofMillis(200);
        private Duration backoffMax = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int cacheSize = 100_000;
        private Duration cacheTtl = Duration.ofHours(1);
        private int maxPollRecords = 500;
        private int partitions = TopicAdmin.DEFAULT_PARTITIONS;
        private String clientId = DEFAULT_CLIENT_ID;

        private Builder(ConnectionSettings connection) {
            this.connection = connection;
        }

        public Builder groupId(String groupId) { this.groupId = groupId; return this; }
        public Builder topics(String input, String resolved, String status, String dlq) {
            this.inputTopic = input; this.resolvedTopic = resolved; this.statusTopic = status; this.dlqTopic = dlq;
            return this;
        }
        public Builder plcDirectory(URI url) { this.plcDirectory = url; return this; }
        public Builder allowedNetworks(List<CidrBlock> networks) { this.allowedNetworks = networks; return this; }
        public Builder maxInFlight(int n) { this.maxInFlight = n; return this; }
        public Builder maxAttempts(int n) { this.maxAttempts = n; return this; }
        public Builder backoff(Duration min, Duration max) { this.backoffMin = min; this.backoffMax = max; return this; }
        public Builder requestTimeout(Duration timeout) { this.requestTimeout = timeout; return this; }
        public Builder cache(int size, Duration ttl) { this.cacheSize = size; this.cacheTtl = ttl; return this; }
        public Builder maxPollRecords(int n) { this.maxPollRecords = n; return this; }
        public Builder partitions(int n) { this.partitions = n; return this; }
        public Builder clientId(String id) { this.clientId = id; return this; }

        public ResolverConfig build() {
            return new ResolverConfig(connection, groupId, inputTopic, resolvedTopic, statusTopic,
                    dlqTopic, plcDirectory, allowedNetworks, maxInFlight, maxAttempts, backoffMin, backoffMax,
                    requestTimeout, cacheSize, cacheTtl, maxPollRecords, partitions, clientId);
        }
    }
}
