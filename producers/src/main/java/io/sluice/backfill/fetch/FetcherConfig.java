package io.sluice.backfill.fetch;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.cbor.DagCborJson;
import io.sluice.backfill.atproto.store.MemoryBudget;
import io.sluice.schemas.topics.TopicNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Everything a fetcher reads at start-up, validated here once. Build with {@link #builder}.
 *
 * @param connection          Kafka and schema registry: every client is built from it
 * @param groupId             consumer group on the fetch topic: start more instances to fetch faster
 * @param topics              the topics read and written
 * @param maxInFlight         downloads running at once per instance (HTTP request to last record)
 * @param maxPendingTasks     tasks taken from Kafka but not finished (waiting for released_at, for a
 *                            download slot, downloading, or backing off); consumption pauses at this
 *                            bound (it may be passed by one poll of at most {@code maxInFlight} records)
 * @param http                timeouts
 * @param retry               retries of retryable failures
 * @param limits              CAR bounds: past them a repository is dead-lettered as LIMIT_EXCEEDED
 * @param blockMemoryBytes    heap for CAR blocks and their indexes shared by all downloads; beyond it they spill to
 *                            temporary files in {@code spillDir}
 * @param spillDir            where spill files go
 * @param maxRecordBytes      largest serialized RepoRecord produced; a larger record is dead-lettered
 *                            alone (RECORD_TOO_LARGE) rather than failing the producer, the DID ends PARTIAL
 * @param maxRecordDepth      deepest record nesting decoded (default 512: the reference PDS accepts
 *                            records deeper than 128 levels); a deeper record is dead-lettered alone
 *                            (RECORD_TOO_DEEP). At most 1024, so a record cannot overflow a thread's stack
 * @param maxJsonPerCarByte   the JSON one repository may produce, as a multiple of its CAR's size (default
 *                            20; real records expand 1-3x): a CAR listing one record under many keys could
 *                            otherwise produce without bound. Past it extraction stops (EXTRACTION_LIMIT),
 *                            the rest of the records are counted as dead-lettered, the DID ends PARTIAL
 * @param allowedPrivateHosts hosts (lower case) that may resolve to loopback or private addresses
 * @param signals             when ratelimit-* headers of good responses are signalled
 * @param commitInterval      how often finished offsets are committed
 * @param shutdownTimeout     how long close waits for running downloads before abandoning them
 * @param consumerOverrides   extra consumer properties, applied last
 * @param producerOverrides   extra producer properties, applied last
 * @param storedDatabase      the records sink's database: where the fetcher reads the revision each DID was last
 *                            stored at, to skip a download the PDS would answer with the same revision; empty:
 *                            every repository is downloaded
 * @param refetch             download every repository, even one stored at the PDS's latest revision
 */
public record FetcherConfig(ConnectionSettings connection, String groupId, TopicSet topics,
                            int maxInFlight, int maxPendingTasks, Http http, RetryPolicy retry, Limits limits,
                            long blockMemoryBytes, Path spillDir, int maxRecordBytes, int maxRecordDepth,
                            int maxJsonPerCarByte, Set<String> allowedPrivateHosts,
                            Signals signals, Duration commitInterval, Duration shutdownTimeout,
                            Map<String, Object> consumerOverrides, Map<String, Object> producerOverrides,
                            Optional<StoredDatabase> storedDatabase, boolean refetch) {

    public static final String DEFAULT_GROUP_ID = "sluice-fetcher";
    public static final int DEFAULT_MAX_RECORD_DEPTH = DagCborJson.DEFAULT_MAX_DEPTH;
    /** Two default depths: DagCborDepthTest shows that many levels fit in a default (1 MiB) thread stack. */
    public static final int MAX_RECORD_DEPTH = 1024;
    public static final int DEFAULT_MAX_JSON_PER_CAR_BYTE = 20;

    public FetcherConfig {
        Objects.requireNonNull(connection, "connection").requireRegistry();
        groupId = required("group id", groupId);
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(signals, "signals");
        if (maxInFlight < 1 || maxInFlight > 10_000) {
            throw new IllegalArgumentException("max in-flight downloads must be 1..10000, got " + maxInFlight);
        }
        if (maxPendingTasks < maxInFlight) {
            throw new IllegalArgumentException("max pending tasks (" + maxPendingTasks + ") must be at least max in-flight ("
                    + maxInFlight + ")");
        }
        if (blockMemoryBytes < 0) throw new IllegalArgumentException("block memory must not be negative");
        spillDir = Objects.requireNonNull(spillDir, "spillDir");
        if (maxRecordBytes < 1024) throw new IllegalArgumentException("max record bytes must be >= 1024, got " + maxRecordBytes);
        if (maxRecordDepth < 1 || maxRecordDepth > MAX_RECORD_DEPTH) {
            throw new IllegalArgumentException("max record depth must be 1.." + MAX_RECORD_DEPTH + ", got " + maxRecordDepth);
        }
        if (maxJsonPerCarByte < 1 || maxJsonPerCarByte > 100_000) {
            throw new IllegalArgumentException("max JSON per CAR byte must be 1..100000, got " + maxJsonPerCarByte);
        }
        Set<String> hosts = new HashSet<>();
        for (String h : Objects.requireNonNull(allowedPrivateHosts, "allowedPrivateHosts")) {
            hosts.add(required("allowed private host", h).toLowerCase(Locale.ROOT));
        }
        allowedPrivateHosts = Set.copyOf(hosts);
        positive("commit interval", commitInterval);
        positive("shutdown timeout", shutdownTimeout);
        consumerOverrides = Map.copyOf(Objects.requireNonNull(consumerOverrides, "consumerOverrides"));
        producerOverrides = Map.copyOf(Objects.requireNonNull(producerOverrides, "producerOverrides"));
        Objects.requireNonNull(storedDatabase, "storedDatabase");
    }

    /** Whether a task asks the PDS for the latest revision before downloading (see {@link TaskRunner}). */
    public boolean skipsUnchanged() {
        return storedDatabase.isPresent() && !refetch;
    }

    /**
     * PostgreSQL as the records sink writes it; the password is never printed.
     *
     * @param schema the records sink's schema (its {@code --schema})
     */
    public record StoredDatabase(String jdbcUrl, String user, String password, String schema) {

        private static final Pattern SCHEMA = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

        public StoredDatabase {
            jdbcUrl = required("stored database JDBC URL", jdbcUrl);
            user = Objects.requireNonNullElse(user, "");
            password = Objects.requireNonNullElse(password, "");
            if (schema == null || !SCHEMA.matcher(schema).matches()) {
                throw new IllegalArgumentException("not a plain schema name: " + schema);
            }
        }

        @Override
        public String toString() {
            return "StoredDatabase[" + jdbcUrl + ", user " + user + ", schema " + schema + "]";
        }
    }

    public static Builder builder(ConnectionSettings connection) {
        return new Builder(connection);
    }

    /** The topics; the retry and signal topics must be co-partitioned with the rate limiter's input. */
    public record TopicSet(String fetch, String records, String status, String retry, String signals, String dlq) {

        public TopicSet {
            Set<String> seen = new HashSet<>();
            for (String t : new String[] {fetch, records, status, retry, signals, dlq}) {
                if (!seen.add(required("topic", t))) throw new IllegalArgumentException("topic " + t + " is configured twice");
            }
        }

        public static TopicSet defaults() {
            return new TopicSet(TopicNames.BACKFILL_FETCH, TopicNames.BACKFILL_RECORDS, TopicNames.BACKFILL_STATUS,
                    TopicNames.BACKFILL_RETRY, TopicNames.BACKFILL_RATELIMIT, TopicNames.BACKFILL_DLQ);
        }
    }

    /**
     * @param connectTimeout  TCP (and TLS) connection set-up
     * @param responseTimeout from sending the request to the response headers
     * @param idleTimeout     longest pause in the body (a stalled PDS)
     * @param bodyTimeout     longest whole body (a trickling PDS)
     */
    public record Http(Duration connectTimeout, Duration responseTimeout, Duration idleTimeout, Duration bodyTimeout) {

        public Http {
            positive("connect timeout", connectTimeout);
            positive("response timeout", responseTimeout);
            positive("idle timeout", idleTimeout);
            positive("body timeout", bodyTimeout);
        }

        public static Http defaults() {
            return new Http(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofMinutes(15));
        }
    }

    /**
     * See {@link SignalThrottle}.
     *
     * @param lowFraction signal when ratelimit-remaining is at most this fraction of ratelimit-limit
     * @param lowFloor    ... or at most this many requests
     * @param minInterval at most one low-remaining signal per host per interval
     */
    public record Signals(double lowFraction, int lowFloor, Duration minInterval) {

        public Signals {
            if (!(lowFraction >= 0 && lowFraction <= 1)) {
                throw new IllegalArgumentException("low fraction must be in [0, 1], got " + lowFraction);
            }
            if (lowFloor < 0) throw new IllegalArgumentException("low floor must not be negative, got " + lowFloor);
            Objects.requireNonNull(minInterval, "minInterval");
            if (minInterval.isNegative()) throw new IllegalArgumentException("min interval must not be negative");
        }

        public static Signals defaults() {
            return new Signals(0.1, 10, Duration.ofSeconds(1));
        }
    }

    static String required(String what, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(what + " is required");
        return value.trim();
    }

    private static void positive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(what + " must be positive, got " + d);
    }

    /** Mutable and unvalidated until {@link #build()}. */
    public static final class Builder {
        private final ConnectionSettings connection;
        private String groupId = DEFAULT_GROUP_ID;
        private TopicSet topics = TopicSet.defaults();
        private int maxInFlight = 64;
        private int maxPendingTasks = -1;
        private Http http = Http.defaults();
        private RetryPolicy retry = RetryPolicy.DEFAULT;
        private Limits limits = Limits.DEFAULT;
        private long blockMemoryBytes = MemoryBudget.defaultCapacity();
        private Path spillDir = Path.of(System.getProperty("java.io.tmpdir"));
        private int maxRecordBytes = 1_000_000;
        private int maxRecordDepth = DEFAULT_MAX_RECORD_DEPTH;
        private int maxJsonPerCarByte = DEFAULT_MAX_JSON_PER_CAR_BYTE;
        private Set<String> allowedPrivateHosts = Set.of();
        private Signals signals = Signals.defaults();
        private Duration commitInterval = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Map<String, Object> consumerOverrides = Map.of();
        private Map<String, Object> producerOverrides = Map.of();
        private Optional<StoredDatabase> storedDatabase = Optional.empty();
        private boolean refetch;

        private Builder(ConnectionSettings connection) {
            this.connection = connection;
        }

        public Builder groupId(String v) { groupId = v; return this; }
        public Builder topics(TopicSet v) { topics = v; return this; }
        public Builder maxInFlight(int v) { maxInFlight = v; return this; }
        /** Default: four times max in-flight. */
        public Builder maxPendingTasks(int v) { maxPendingTasks = v; return this; }
        public Builder http(Http v) { http = v; return this; }
        public Builder retry(RetryPolicy v) { retry = v; return this; }
        public Builder limits(Limits v) { limits = v; return this; }
        /** Default: {@link MemoryBudget#defaultCapacity()}, a quarter of the maximum heap, at most 128 MiB. */
        public Builder blockMemoryBytes(long v) { blockMemoryBytes = v; return this; }
        public Builder spillDir(Path v) { spillDir = v; return this; }
        public Builder maxRecordBytes(int v) { maxRecordBytes = v; return this; }
        public Builder maxRecordDepth(int v) { maxRecordDepth = v; return this; }
        public Builder maxJsonPerCarByte(int v) { maxJsonPerCarByte = v; return this; }
        public Builder allowedPrivateHosts(Set<String> v) { allowedPrivateHosts = v; return this; }
        public Builder signals(Signals v) { signals = v; return this; }
        public Builder commitInterval(Duration v) { commitInterval = v; return this; }
        public Builder shutdownTimeout(Duration v) { shutdownTimeout = v; return this; }
        public Builder consumerOverrides(Map<String, Object> v) { consumerOverrides = v; return this; }
        public Builder producerOverrides(Map<String, Object> v) { producerOverrides = v; return this; }
        public Builder storedDatabase(Optional<StoredDatabase> v) { storedDatabase = v; return this; }
        public Builder refetch(boolean v) { refetch = v; return this; }

        public FetcherConfig build() {
            int pending = maxPendingTasks < 0 ? (int) Math.min(Integer.MAX_VALUE, 4L * maxInFlight) : maxPendingTasks;
            return new FetcherConfig(connection, groupId, topics, maxInFlight, pending, http, retry, limits,
                    blockMemoryBytes, spillDir, maxRecordBytes, maxRecordDepth, maxJsonPerCarByte, allowedPrivateHosts,
                    signals, commitInterval,
                    shutdownTimeout, consumerOverrides, producerOverrides, storedDatabase, refetch);
        }
    }
}
