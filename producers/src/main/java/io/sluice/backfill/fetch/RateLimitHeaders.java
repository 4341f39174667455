package io.sluice.backfill.fetch;

import io.sluice.schemas.backfill.RateLimitKind;
import io.sluice.schemas.backfill.RateLimitSignal;

import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code ratelimit-*} headers of one PDS response (IETF draft RateLimit header fields, as the
 * reference PDS sends them). Lenient: a missing or unparsable value is null, never an error, since
 * a PDS's headers are advice and a bad one must not fail a good download.
 *
 * @param limit     requests per window
 * @param remaining requests left in the current window
 * @param reset     when the window resets ({@code ratelimit-reset} is in Unix seconds)
 * @param policy    verbatim, e.g. {@code 3000;w=300}
 */
record RateLimitHeaders(Integer limit, Integer remaining, Instant reset, String policy) {

    static final RateLimitHeaders NONE = new RateLimitHeaders(null, null, null, null);

    static RateLimitHeaders of(HttpHeaders headers) {
        Long reset = number(headers.firstValue("ratelimit-reset"));
        return new RateLimitHeaders(intOrNull(number(headers.firstValue("ratelimit-limit"))),
                intOrNull(number(headers.firstValue("ratelimit-remaining"))),
                reset == null || reset > Instant.MAX.getEpochSecond() ? null : Instant.ofEpochSecond(reset),
                headers.firstValue("ratelimit-policy").map(String::strip).filter(s -> !s.isEmpty()).orElse(null));
    }

    boolean present() {
        return limit != null || remaining != null || reset != null || policy != null;
    }

    RateLimitSignal toSignal(String pdsHost, RateLimitKind kind, Instant observedAt) {
        return RateLimitSignal.newBuilder().setPdsHost(pdsHost).setKind(kind).setLimit(limit).setRemaining(remaining)
                .setResetAt(reset).setPolicy(policy).setObservedAt(observedAt).build();
    }

    private static Long number(Optional<String> value) {
        if (value.isEmpty()) return null;
        try {
            long n = Long.parseLong(value.get().trim());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer intOrNull(Long n) {
        return n == null || n > Integer.MAX_VALUE ? null : n.intValue();
    }
}
