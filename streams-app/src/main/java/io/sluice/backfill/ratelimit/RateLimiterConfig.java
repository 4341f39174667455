package io.sluice.backfill.ratelimit;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.retry.Backoff;
import io.sluice.schemas.topics.TopicNames;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the rate limiter reads at start-up, validated here once. Build it with
 * {@link #builder(ConnectionSettings)} or read it from properties with {@link #fromProperties}.
 *
 * @param applicationId    Kafka Streams application id (consumer group, internal topic prefix)
 * @param connection       Kafka and schema registry: the Streams application is built from it
 * @param topics           the topics read and written
 * @param defaultPolicy    the limit of every host without an override (default 3000/300s)
 * @param hostPolicies     per-host overrides, keyed by lower-case PDS host (as in ResolvedDid.pds_host)
 * @param timing           punctuation, deadlines, margins and back-off
 * @param maxQueuePerHost  tasks one host may have waiting; past it, new tasks for the host go to the DLQ
 * @param streamsOverrides extra Kafka Streams properties (e.g. state.dir, num.stream.threads), applied last
 * @param fetchGroup       the fetchers' consumer group: when given, tasks go only to fetch partitions a
 *                         member owns, and none are released while no member owns one ({@link FetchOwners});
 *                         empty (the builder's default): any partition, always
 */
public record RateLimiterConfig(String applicationId, ConnectionSettings connection, TopicSet topics,
                                RateLimitPolicy defaultPolicy, Map<String, RateLimitPolicy> hostPolicies, Timing timing,
                                int maxQueuePerHost, Map<String, String> streamsOverrides, Optional<String> fetchGroup) {

    public static final String DEFAULT_APPLICATION_ID = "sluice-ratelimiter";
    public static final String DEFAULT_RETRY_TOPIC = "backfill.retry";

    public RateLimiterConfig {
        applicationId = required("application id", applicationId);
        Objects.requireNonNull(connection, "connection").requireRegistry();
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(defaultPolicy, "defaultPolicy");
        Objects.requireNonNull(timing, "timing");
        TreeMap<String, RateLimitPolicy> hosts = new TreeMap<>();
        Objects.requireNonNull(hostPolicies, "hostPolicies").forEach((host, policy) -> {
            String h = required("host of a per-host policy", host);
            if (!h.equals(h.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("per-host policy host '" + host + "' must be lower case, as PDS hosts are"
                        + " in backfill.resolved");
            }
            hosts.put(h, Objects.requireNonNull(policy, "policy of host " + host));
        });
        hostPolicies = Collections.unmodifiableMap(hosts);
        if (maxQueuePerHost < 1) throw new IllegalArgumentException("max queue per host must be >= 1, got " + maxQueuePerHost);
        streamsOverrides = Map.copyOf(Objects.requireNonNull(streamsOverrides, "streamsOverrides"));
        fetchGroup = Objects.requireNonNull(fetchGroup, "fetchGroup").map(g -> required("fetch group", g));
    }

    /** Defaults for everything but the two endpoints. */
    public static Builder builder(ConnectionSettings connection) {
        return new Builder(connection);
    }

    /** Reads the settings described in {@link ConfigProperties}; unknown {@code ratelimit.*} keys are errors. */
    public static RateLimiterConfig fromProperties(Map<String, String> properties) {
        return ConfigProperties.read(properties);
    }

    /** This config with one more Kafka Streams property, e.g. the state.dir an instance claimed at start-up. */
    public RateLimiterConfig withStreamsOverride(String key, String value) {
        Map<String, String> overrides = new HashMap<>(streamsOverrides);
        overrides.put(key, value);
        return new RateLimiterConfig(applicationId, connection, topics, defaultPolicy, hostPolicies, timing,
                maxQueuePerHost, overrides, fetchGroup);
    }

    /** The policy of {@code host}: its override, else the default. */
    public RateLimitPolicy policyFor(String host) {
        return hostPolicies.getOrDefault(host, defaultPolicy);
    }

    /**
     * The topics. The retry input is optional: when present, fetchers return tasks there (key: PDS
     * host, value: the FetchTask, attempt kept) instead of through {@code resolved}.
     */
    public record TopicSet(String resolved, Optional<String> retry, String signals, String fetch, String dlq) {

        public TopicSet {
            resolved = required("resolved topic", resolved);
            retry = Objects.requireNonNull(retry, "retry").map(t -> required("retry topic", t));
            signals = required("signal topic", signals);
            fetch = required("fetch topic", fetch);
            dlq = required("dlq topic", dlq);
            Set<String> seen = new HashSet<>();
            for (String t : new String[] {resolved, retry.orElse(null), signals, fetch, dlq}) {
                if (t != null && !seen.add(t)) throw new IllegalArgumentException("topic " + t + " is configured twice");
            }
        }

        /** backfill.resolved, backfill.retry, backfill.ratelimit, backfill.fetch, backfill.dlq. */
        public static TopicSet defaults() {
            return new TopicSet(TopicNames.BACKFILL_RESOLVED, Optional.of(DEFAULT_RETRY_TOPIC), TopicNames.BACKFILL_RATELIMIT,
                    TopicNames.BACKFILL_FETCH, TopicNames.BACKFILL_DLQ);
        }
    }

    /**
     * When things happen.
     *
     * @param punctuation        how often waiting tasks are released (1 ms to 1 s; default 50 ms)
     * @param commitInterval     Kafka Streams commit interval (default 100 ms): released tasks reach
     *                           fetchers when the transaction that released them commits
     * @param taskTtl            upper bound of how late after released_at a fetcher may start a task
     *                           (default 1 s; per host at most 3/4 of its margin)
     * @param dispatchDelay      released_at is the release instant plus this delay (default 500 ms):
     *                           fetchers start a task no earlier than released_at, so the lag from
     *                           release to visibility (commit interval, commit, fetch) does not bunch
     *                           requests up; it should exceed that lag
     * @param safetyMargin       upper bound of the margin added to each host's window (default 1 s)
     * @param safetyFraction     the margin as a fraction of the host's window (default 0.03)
     * @param throttleBackoff    pause after a 429 without ratelimit-reset, doubled per consecutive 429 (default 10 s)
     * @param maxThrottleBackoff the longest such pause (default 5 min)
     * @param alignment          how the PDSes' windows are assumed to lie (default {@link WindowAlignment#SLIDING}:
     *                           nothing assumed)
     */
    public record Timing(Duration punctuation, Duration commitInterval, Duration taskTtl, Duration dispatchDelay,
                         Duration safetyMargin, double safetyFraction, Duration throttleBackoff,
                         Duration maxThrottleBackoff, WindowAlignment alignment) {

        /** With no assumption about the PDSes' window boundaries ({@link WindowAlignment#SLIDING}). */
        public Timing(Duration punctuation, Duration commitInterval, Duration taskTtl, Duration dispatchDelay,
                      Duration safetyMargin, double safetyFraction, Duration throttleBackoff, Duration maxThrottleBackoff) {
            this(punctuation, commitInterval, taskTtl, dispatchDelay, safetyMargin, safetyFraction, throttleBackoff,
                    maxThrottleBackoff, WindowAlignment.SLIDING);
        }

        public Timing {
            between("punctuation interval", punctuation, Duration.ofMillis(1), Duration.ofSeconds(1));
            between("commit interval", commitInterval, Duration.ofMillis(1), Duration.ofMinutes(1));
            between("task ttl", taskTtl, Duration.ofMillis(1), Duration.ofDays(1));
            between("dispatch delay", dispatchDelay, Duration.ZERO, Duration.ofHours(1));
            between("safety margin", safetyMargin, Duration.ofMillis(2), Duration.ofDays(1));
            if (!(safetyFraction > 0 && safetyFraction <= 1)) {
                throw new IllegalArgumentException("safety fraction must be in (0, 1], got " + safetyFraction);
            }
            between("throttle backoff", throttleBackoff, Duration.ofMillis(1), Duration.ofDays(1));
            between("max throttle backoff", maxThrottleBackoff, throttleBackoff, Duration.ofDays(1));
            Objects.requireNonNull(alignment, "alignment");
        }

        /** The same timing with {@code a} as the window alignment. */
        public Timing withAlignment(WindowAlignment a) {
            return new Timing(punctuation, commitInterval, taskTtl, dispatchDelay, safetyMargin, safetyFraction,
                    throttleBackoff, maxThrottleBackoff, a);
        }

        public static Timing defaults() {
            return new Timing(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMillis(500),
                    Duration.ofSeconds(1), 0.03, Duration.ofSeconds(10), Duration.ofMinutes(5));
        }

        /** {@code min(safetyMargin, safetyFraction * window)}, at least 2 ms: 30 ms for 20/s, 1 s for 3000/300s. */
        public Duration marginFor(RateLimitPolicy policy) {
            long fraction = (long) Math.ceil(policy.windowMillis() * safetyFraction);
            return Duration.ofMillis(Math.max(2, Math.min(safetyMargin.toMillis(), fraction)));
        }

        /**
         * {@link WindowAlignment#SLIDING}: {@code min(taskTtl, 3/4 of the margin)}: a task may start anywhere
         * in its TTL, so the spread of start times must fit in the margin (see {@link WindowLimiter}), with
         * a quarter left for jitter. {@link WindowAlignment#EPOCH}: {@code taskTtl}, which {@link EpochSlots}
         * cuts off {@link #guardFor guard} before the end of the task's window.
         */
        public Duration ttlFor(RateLimitPolicy policy) {
            if (alignment == WindowAlignment.EPOCH) return taskTtl;
            long threeQuarters = Math.max(1, marginFor(policy).toMillis() * 3 / 4);
            return Duration.ofMillis(Math.min(taskTtl.toMillis(), threeQuarters));
        }

        /**
         * For {@link WindowAlignment#EPOCH}: the time kept free at the end of each window for the
         * latency from a fetcher's deadline check to the PDS counting the request, and again before it
         * for the last task's start: {@code min(safetyMargin, window / 4)}, 250 ms for 20/s, 1 s for
         * 3000/300s. Tasks are scheduled in the first {@code window - 2 * guard} of each window.
         */
        public Duration guardFor(RateLimitPolicy policy) {
            return Duration.ofMillis(Math.min(safetyMargin.toMillis(), policy.windowMillis() / 4));
        }

        /**
         * For {@link WindowAlignment#EPOCH}: how far beyond {@code now + dispatchDelay} a punctuation
         * releases slots, {@code max(punctuation, min(safetyMargin, window / 2))} (500 ms for 20/s): the
         * tasks wait at the fetcher for their released_at, so a limiter that stalls for less than the
         * dispatch delay plus this loses no slot. Sliding windows release only what is due now.
         */
        public Duration lookaheadFor(RateLimitPolicy policy) {
            if (alignment != WindowAlignment.EPOCH) return punctuation;
            long half = Math.min(safetyMargin.toMillis(), policy.windowMillis() / 2);
            return Duration.ofMillis(Math.max(punctuation.toMillis(), half));
        }

        /** The pause after the {@code n}th consecutive 429 that came without a reset time. */
        public Duration backoffAfter(int consecutive429s) {
            // No jitter: one limiter task owns the host's pause, so there is no herd to spread.
            return new Backoff(throttleBackoff, maxThrottleBackoff, 2, 0).delay(Math.max(1, consecutive429s));
        }

        private static void between(String name, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be between " + Durations.format(min) + " and "
                        + Durations.format(max) + ", got " + Durations.format(d));
            }
        }
    }

    /** Fills in defaults; {@link #build()} validates. */
    public static final class Builder {
        private String applicationId = DEFAULT_APPLICATION_ID;
        private final ConnectionSettings connection;
        private TopicSet topics = TopicSet.defaults();
        private RateLimitPolicy defaultPolicy = RateLimitPolicy.PDS_DEFAULT;
        private final Map<String, RateLimitPolicy> hostPolicies = new TreeMap<>();
        private Timing timing = Timing.defaults();
        private int maxQueuePerHost = 1_000_000;
        private final Map<String, String> streamsOverrides = new TreeMap<>();
        private Optional<String> fetchGroup = Optional.empty();

        private Builder(ConnectionSettings connection) {
            this.connection = connection;
        }

        public Builder applicationId(String id) { this.applicationId = id; return this; }
        public Builder topics(TopicSet t) { this.topics = t; return this; }
        public Builder defaultPolicy(RateLimitPolicy p) { this.defaultPolicy = p; return this; }
        public Builder hostPolicy(String host, RateLimitPolicy p) { this.hostPolicies.put(host, p); return this; }
        public Builder timing(Timing t) { this.timing = t; return this; }
        public Builder maxQueuePerHost(int n) { this.maxQueuePerHost = n; return this; }
        public Builder streamsOverride(String key, String value) { this.streamsOverrides.put(key, value); return this; }
        public Builder fetchGroup(Optional<String> group) { this.fetchGroup = group; return this; }

        public RateLimiterConfig build() {
            return new RateLimiterConfig(applicationId, connection, topics, defaultPolicy, hostPolicies,
                    timing, maxQueuePerHost, streamsOverrides, fetchGroup);
        }
    }

    private static String required(String name, String value) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank");
        return value.strip();
    }
}
