package io.sluice.backfill.fetch;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fetcher's pure little rules: retry back-off, rate-limit headers and signals, endpoint checks. */
class SmallPartsTest {

    @Test
    void backoffGrowsAndIsCappedWithJitter() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(100), Duration.ofMillis(1000));
        for (int i = 0; i < 50; i++) {
            assertThat(policy.backoffAfter(1).toMillis()).isBetween(50L, 100L);
            assertThat(policy.backoffAfter(3).toMillis()).isBetween(200L, 400L);
            assertThat(policy.backoffAfter(40).toMillis()).isBetween(500L, 1000L);
        }
        assertThat(policy.mayRetryAfter(3)).isTrue();
        assertThat(policy.mayRetryAfter(4)).isFalse();
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rateLimitHeadersParseLeniently() {
        RateLimitHeaders h = RateLimitHeaders.of(headers(Map.of("ratelimit-limit", "3000", "ratelimit-remaining", "12",
                "ratelimit-reset", "1700000000", "ratelimit-policy", "3000;w=300")));
        assertThat(h).isEqualTo(new RateLimitHeaders(3000, 12, Instant.ofEpochSecond(1_700_000_000), "3000;w=300"));
        RateLimitHeaders junk = RateLimitHeaders.of(headers(Map.of("ratelimit-remaining", "lots", "ratelimit-limit", "-1")));
        assertThat(junk.present()).isFalse();
        assertThat(RateLimitHeaders.of(headers(Map.of())).present()).isFalse();
    }

    @Test
    void headersAreSignalledWhenLowAtMostOncePerIntervalAndOnceAfterA429() {
        SignalThrottle throttle = new SignalThrottle(0.1, 10, Duration.ofSeconds(1));
        assertThat(throttle.shouldSignal("h", remaining(3000, 2000), 0)).as("plenty left").isFalse();
        assertThat(throttle.shouldSignal("h", remaining(3000, 300), 0)).as("10% left").isTrue();
        assertThat(throttle.shouldSignal("h", remaining(3000, 200), 500)).as("within the interval").isFalse();
        assertThat(throttle.shouldSignal("other", remaining(3000, 200), 500)).as("per host").isTrue();
        assertThat(throttle.shouldSignal("h", remaining(3000, 100), 1000)).isTrue();
        assertThat(throttle.shouldSignal("h", remaining(20, 5), 2000)).as("floor for small limits").isTrue();

        throttle.throttled("h", 3000);
        assertThat(throttle.shouldSignal("h", remaining(3000, 2999), 3001)).as("ends the 429 streak").isTrue();
        assertThat(throttle.shouldSignal("h", remaining(3000, 2998), 3002)).isFalse();
        assertThat(throttle.shouldSignal("h", new RateLimitHeaders(3000, null, null, null), 9000)).isFalse();
    }

    @Test
    void endpointsMustBeHttpAndPublicUnlessAllowed() throws Exception {
        EndpointPolicy strict = new EndpointPolicy(Set.of());
        assertThat(strict.getRepoUri("https://93.184.215.14/", "did:plc:abc"))
                .isEqualTo(URI.create("https://93.184.215.14/xrpc/com.atproto.sync.getRepo?did=did%3Aplc%3Aabc"));
        for (String bad : List.of("http://127.0.0.1:8080/pds/x", "http://10.1.2.3", "http://169.254.169.254", "http://[::1]:80",
                "ftp://93.184.215.14", "https://user@93.184.215.14", "not a url", "http://93.184.215.14?x=1")) {
            assertThatThrownBy(() -> strict.getRepoUri(bad, "did:plc:abc")).as(bad)
                    .isInstanceOf(EndpointPolicy.RejectedEndpointException.class);
        }
        EndpointPolicy local = new EndpointPolicy(Set.of("127.0.0.1"));
        assertThat(local.getRepoUri("http://127.0.0.1:8080/pds/pds-01.sim.test", "did:plc:abc").toString())
                .isEqualTo("http://127.0.0.1:8080/pds/pds-01.sim.test/xrpc/com.atproto.sync.getRepo?did=did%3Aplc%3Aabc");
    }

    private static RateLimitHeaders remaining(int limit, int remaining) {
        return new RateLimitHeaders(limit, remaining, null, null);
    }

    private static HttpHeaders headers(Map<String, String> values) {
        return HttpHeaders.of(values.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                e -> List.of(e.getValue()))), (k, v) -> true);
    }
}
