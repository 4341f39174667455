package io.sluice.backfill.fetch;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A PDS's {@code ratelimit-*} headers steer the rate limiter. Invariants: any header values are read
 * without an exception (they are advice; a bad one must not fail a good download), numbers come out
 * non-negative or absent, and a present policy is never blank.
 */
class RateLimitHeadersFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void read(FuzzedDataProvider data) {
        Map<String, List<String>> values = Map.of(
                "ratelimit-limit", List.of(data.consumeString(40)),
                "ratelimit-remaining", List.of(data.consumeString(40)),
                "ratelimit-reset", List.of(data.consumeString(40)),
                "ratelimit-policy", List.of(data.consumeRemainingAsString()));
        RateLimitHeaders headers = RateLimitHeaders.of(HttpHeaders.of(values, (name, value) -> true));
        assertTrue(headers.limit() == null || headers.limit() >= 0);
        assertTrue(headers.remaining() == null || headers.remaining() >= 0);
        assertTrue(headers.policy() == null || !headers.policy().isBlank());
    }
}
