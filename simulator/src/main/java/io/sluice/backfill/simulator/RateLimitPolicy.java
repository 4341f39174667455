package io.sluice.backfill.simulator;

/**
 * A PDS's request budget: at most {@code limit} requests per fixed window of {@code windowSeconds},
 * windows aligned to the Unix epoch. Rendered as the {@code ratelimit-policy} header value
 * ({@code 3000;w=300}).
 */
public record RateLimitPolicy(int limit, int windowSeconds) {

    /** The reference PDS's default for one client: 3,000 requests per 5 minutes. */
    public static final RateLimitPolicy PDS_DEFAULT = new RateLimitPolicy(3000, 300);

    public RateLimitPolicy {
        if (limit < 1) {
            throw new IllegalArgumentException("rate limit must be at least 1 request per window, got " + limit);
        }
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw new IllegalArgumentException("rate limit window must be 1..86400 seconds, got " + windowSeconds);
        }
    }

    public String header() {
        return limit + ";w=" + windowSeconds;
    }
}
