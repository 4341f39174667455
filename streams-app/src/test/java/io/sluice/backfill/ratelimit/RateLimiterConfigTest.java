package io.sluice.backfill.ratelimit;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.ratelimit.RateLimiterConfig.Timing;
import io.sluice.backfill.ratelimit.RateLimiterConfig.TopicSet;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimiterConfigTest {

    private static final Map<String, String> ENDPOINTS = Map.of("bootstrap.servers", "b:9092",
            "schema.registry.url", "http://r/apis/ccompat/v7");

    @Test
    void defaultsMatchARealPds() {
        RateLimiterConfig c = RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).build();
        assertThat(c.applicationId()).isEqualTo("sluice-ratelimiter");
        assertThat(c.defaultPolicy()).isEqualTo(RateLimitPolicy.parse("3000/300s"));
        assertThat(c.topics()).isEqualTo(new TopicSet("backfill.resolved", Optional.of("backfill.retry"),
                "backfill.ratelimit", "backfill.fetch", "backfill.dlq"));
        assertThat(c.timing().punctuation()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.policyFor("any.host")).isEqualTo(c.defaultPolicy());
    }

    @Test
    void aKilledInstancesOpenTransactionIsAbortedWithinFiveSeconds() {
        RateLimiterConfig c = RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).build();
        assertThat(RateLimiterApp.streamsProperties(c)).containsEntry("producer.transaction.timeout.ms", 5_000)
                .containsEntry("consumer.session.timeout.ms", 6_000);
    }

    @Test
    void marginIsAFractionOfTheWindowCappedAndTheTtlFitsInsideIt() {
        Timing t = Timing.defaults();
        assertThat(t.marginFor(RateLimitPolicy.parse("20/s"))).isEqualTo(Duration.ofMillis(30));
        assertThat(t.ttlFor(RateLimitPolicy.parse("20/s"))).isEqualTo(Duration.ofMillis(22));
        assertThat(t.marginFor(RateLimitPolicy.PDS_DEFAULT)).isEqualTo(Duration.ofSeconds(1));
        assertThat(t.ttlFor(RateLimitPolicy.PDS_DEFAULT)).isEqualTo(Duration.ofMillis(750));
        assertThat(t.marginFor(RateLimitPolicy.parse("1/10ms"))).isEqualTo(Duration.ofMillis(2));
    }

    @Test
    void throttleBackoffDoublesUpToItsCap() {
        Timing t = Timing.defaults();
        assertThat(t.backoffAfter(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.backoffAfter(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(t.backoffAfter(4)).isEqualTo(Duration.ofSeconds(80));
        assertThat(t.backoffAfter(6)).isEqualTo(Duration.ofMinutes(5));
        assertThat(t.backoffAfter(1000)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void perHostPoliciesOverrideTheDefault() {
        RateLimiterConfig c = RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).hostPolicy("pds.example.com", RateLimitPolicy.parse("20/s"))
                .build();
        assertThat(c.policyFor("pds.example.com")).isEqualTo(RateLimitPolicy.parse("20/s"));
        assertThat(c.policyFor("other.example.com")).isEqualTo(RateLimitPolicy.PDS_DEFAULT);
        assertThatThrownBy(() -> RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).hostPolicy("PDS.example.com", RateLimitPolicy.PDS_DEFAULT)
                .build()).hasMessageContaining("lower case");
    }

    @Test
    void validatesEverything() {
        assertThatThrownBy(() -> RateLimiterConfig.builder(ConnectionSettings.plaintext(" ", "http://r")).build()).hasMessageContaining("bootstrap servers");
        assertThatThrownBy(() -> RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).maxQueuePerHost(0).build())
                .hasMessageContaining("max queue per host");
        assertThatThrownBy(() -> new TopicSet("a", Optional.empty(), "b", "a", "d")).hasMessageContaining("topic a is configured twice");
        Timing d = Timing.defaults();
        assertThatThrownBy(() -> new Timing(Duration.ofSeconds(2), d.commitInterval(), d.taskTtl(), d.dispatchDelay(),
                d.safetyMargin(), d.safetyFraction(), d.throttleBackoff(), d.maxThrottleBackoff()))
                .hasMessage("punctuation interval must be between 1ms and 1s, got 2s");
        assertThatThrownBy(() -> new Timing(d.punctuation(), d.commitInterval(), d.taskTtl(), d.dispatchDelay(),
                d.safetyMargin(), 0, d.throttleBackoff(), d.maxThrottleBackoff())).hasMessageContaining("safety fraction");
        assertThatThrownBy(() -> new Timing(d.punctuation(), d.commitInterval(), d.taskTtl(), d.dispatchDelay(),
                d.safetyMargin(), d.safetyFraction(), Duration.ofMinutes(10), Duration.ofMinutes(5)))
                .hasMessageContaining("max throttle backoff must be between 10m");
    }

    @Test
    void readsProperties() {
        Map<String, String> p = new HashMap<>(ENDPOINTS);
        p.put("application.id", "limiter-1");
        p.put("ratelimit.default-policy", "20/s");
        p.put("ratelimit.host-policy.slow.example.com", "3000;w=300");
        p.put("ratelimit.topic.retry", "");
        p.put("ratelimit.punctuation-interval", "25ms");
        p.put("ratelimit.task-ttl", "PT0.5S");
        p.put("ratelimit.safety-fraction", "0.05");
        p.put("ratelimit.max-queue-per-host", "10");
        p.put("ratelimit.window-alignment", "epoch");
        p.put("streams.state.dir", "/tmp/x");
        p.put("resolver.threads", "4"); // another component's setting: ignored

        RateLimiterConfig c = RateLimiterConfig.fromProperties(p);

        assertThat(c.applicationId()).isEqualTo("limiter-1");
        assertThat(c.defaultPolicy()).isEqualTo(RateLimitPolicy.parse("20/s"));
        assertThat(c.hostPolicies()).containsEntry("slow.example.com", RateLimitPolicy.PDS_DEFAULT);
        assertThat(c.topics().retry()).isEmpty();
        assertThat(c.timing().punctuation()).isEqualTo(Duration.ofMillis(25));
        assertThat(c.timing().taskTtl()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.timing().safetyFraction()).isEqualTo(0.05);
        assertThat(c.maxQueuePerHost()).isEqualTo(10);
        assertThat(c.timing().alignment()).isEqualTo(WindowAlignment.EPOCH);
        assertThat(c.timing().ttlFor(RateLimitPolicy.parse("20/s"))).as("not cut to the margin").isEqualTo(Duration.ofMillis(500));
        assertThat(c.timing().guardFor(RateLimitPolicy.parse("20/s"))).isEqualTo(Duration.ofMillis(250));
        assertThat(c.timing().guardFor(RateLimitPolicy.PDS_DEFAULT)).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.streamsOverrides()).containsExactly(Map.entry("state.dir", "/tmp/x"));
        assertThat(RateLimiterConfig.fromProperties(new HashMap<>(ENDPOINTS)).timing().alignment())
                .isEqualTo(WindowAlignment.SLIDING);
        assertThatThrownBy(() -> RateLimiterConfig.fromProperties(with("ratelimit.window-alignment", "fixed")))
                .hasMessageStartingWith("ratelimit.window-alignment: invalid window alignment 'fixed'");
    }

    @Test
    void propertyErrorsNameTheKey() {
        assertThatThrownBy(() -> RateLimiterConfig.fromProperties(with("ratelimit.default-policy", "20 per second")))
                .hasMessageStartingWith("ratelimit.default-policy: invalid rate limit policy '20 per second'")
                .hasMessageContaining("accepted formats");
        assertThatThrownBy(() -> RateLimiterConfig.fromProperties(with("ratelimit.host-policy.h", "x")))
                .hasMessageStartingWith("ratelimit.host-policy.h: invalid rate limit policy 'x'");
        assertThatThrownBy(() -> RateLimiterConfig.fromProperties(with("ratelimit.task-ttl", "1 second")))
                .hasMessageStartingWith("ratelimit.task-ttl: invalid duration '1 second'").hasMessageContaining("50ms");
        assertThatThrownBy(() -> RateLimiterConfig.fromProperties(with("ratelimit.max-queue-per-host", "lots")))
                .hasMessage("ratelimit.max-queue-per-host: 'lots' is not a number");
        assertThatThrownBy(() -> RateLimiterConfig.fromProperties(with("ratelimit.safety-margins", "1s")))
                .hasMessageStartingWith("unknown setting ratelimit.safety-margins; known: ratelimit.default-policy");
        assertThatThrownBy(() -> RateLimiterConfig.fromProperties(Map.of("bootstrap.servers", "b")))
                .hasMessageContaining("registry url must not be blank");
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> p = new HashMap<>(ENDPOINTS);
        p.put(key, value);
        return p;
    }
}
