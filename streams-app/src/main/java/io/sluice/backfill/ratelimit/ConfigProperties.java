package io.sluice.backfill.ratelimit;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.ratelimit.RateLimiterConfig.Timing;
import io.sluice.backfill.ratelimit.RateLimiterConfig.TopicSet;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a {@link RateLimiterConfig} from flat properties, for the CLI and a properties file:
 * <pre>
 * bootstrap.servers=...                       (required)
 * schema.registry.url=...                     (required)
 * application.id=sluice-ratelimiter
 * ratelimit.default-policy=3000/300s          (or 3000;w=300, 20/s, ...)
 * ratelimit.host-policy.&lt;host&gt;=20/s
 * ratelimit.topic.resolved|retry|signals|fetch|dlq=...   (retry empty: no retry input)
 * ratelimit.punctuation-interval=50ms   ratelimit.commit-interval=100ms
 * ratelimit.task-ttl=1s   ratelimit.dispatch-delay=500ms
 * ratelimit.safety-margin=1s   ratelimit.safety-fraction=0.03
 * ratelimit.throttle-backoff=10s   ratelimit.max-throttle-backoff=5m
 * ratelimit.window-alignment=sliding           (or epoch: PDS windows aligned to the Unix epoch)
 * ratelimit.max-queue-per-host=1000000
 * streams.&lt;kafka streams property&gt;=...        (passed to Kafka Streams as is)
 * </pre>
 * Other keys are ignored (a shared file may configure other components), except unknown
 * {@code ratelimit.*} keys, which are errors listing the known ones.
 */
final class ConfigProperties {

    private static final String HOST_POLICY = "ratelimit.host-policy.";
    private static final String STREAMS = "streams.";
    private static final List<String> KNOWN = List.of("ratelimit.default-policy", "ratelimit.topic.resolved",
            "ratelimit.topic.retry", "ratelimit.topic.signals", "ratelimit.topic.fetch", "ratelimit.topic.dlq",
            "ratelimit.punctuation-interval", "ratelimit.commit-interval", "ratelimit.task-ttl", "ratelimit.dispatch-delay",
            "ratelimit.safety-margin", "ratelimit.safety-fraction", "ratelimit.throttle-backoff",
            "ratelimit.max-throttle-backoff", "ratelimit.max-queue-per-host", "ratelimit.window-alignment");

    private ConfigProperties() {
    }

    static RateLimiterConfig read(Map<String, String> p) {
        for (String key : p.keySet()) {
            if (key.startsWith("ratelimit.") && !key.startsWith(HOST_POLICY) && !KNOWN.contains(key)) {
                throw new IllegalArgumentException("unknown setting " + key + "; known: " + String.join(", ", KNOWN)
                        + ", " + HOST_POLICY + "<host>");
            }
        }
        // This flat file predates --command-config: it names the endpoints only (plaintext).
        RateLimiterConfig.Builder b = RateLimiterConfig.builder(ConnectionSettings.plaintext(
                required(p, "bootstrap.servers", "bootstrap servers"), required(p, "schema.registry.url", "registry url")));
        if (p.containsKey("application.id")) b.applicationId(p.get("application.id"));
        b.defaultPolicy(get(p, "ratelimit.default-policy", RateLimitPolicy::parse, RateLimitPolicy.PDS_DEFAULT));
        p.forEach((key, value) -> {
            if (key.startsWith(HOST_POLICY)) b.hostPolicy(key.substring(HOST_POLICY.length()), policy(key, value));
            if (key.startsWith(STREAMS)) b.streamsOverride(key.substring(STREAMS.length()), value);
        });
        TopicSet t = TopicSet.defaults();
        String retry = p.getOrDefault("ratelimit.topic.retry", t.retry().orElse(""));
        b.topics(new TopicSet(p.getOrDefault("ratelimit.topic.resolved", t.resolved()),
                retry.isBlank() ? Optional.empty() : Optional.of(retry),
                p.getOrDefault("ratelimit.topic.signals", t.signals()), p.getOrDefault("ratelimit.topic.fetch", t.fetch()),
                p.getOrDefault("ratelimit.topic.dlq", t.dlq())));
        Timing d = Timing.defaults();
        b.timing(new Timing(
                duration(p, "ratelimit.punctuation-interval", d.punctuation()),
                duration(p, "ratelimit.commit-interval", d.commitInterval()),
                duration(p, "ratelimit.task-ttl", d.taskTtl()),
                duration(p, "ratelimit.dispatch-delay", d.dispatchDelay()),
                duration(p, "ratelimit.safety-margin", d.safetyMargin()),
                get(p, "ratelimit.safety-fraction", s -> Double.parseDouble(s.strip()), d.safetyFraction()),
                duration(p, "ratelimit.throttle-backoff", d.throttleBackoff()),
                duration(p, "ratelimit.max-throttle-backoff", d.maxThrottleBackoff()),
                get(p, "ratelimit.window-alignment", WindowAlignment::parse, d.alignment())));
        b.maxQueuePerHost(get(p, "ratelimit.max-queue-per-host", s -> Integer.parseInt(s.strip()), 1_000_000));
        return b.build();
    }

    private static String required(Map<String, String> p, String key, String name) {
        String value = p.get(key);
        if (value == null || value.isBlank()) throw new IllegalArgumentException(name + " must not be blank (" + key + ")");
        return value.strip();
    }

    private static RateLimitPolicy policy(String key, String value) {
        try {
            return RateLimitPolicy.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }

    private static Duration duration(Map<String, String> p, String key, Duration fallback) {
        return get(p, key, s -> Durations.parse(key, s), fallback);
    }

    private static <T> T get(Map<String, String> p, String key, Function<String, T> parse, T fallback) {
        String value = p.get(key);
        if (value == null) return fallback;
        try {
            return parse.apply(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a number", e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(key) ? e
                    : new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
