package io.sluice.backfill.ratelimit.internals;

/**
 * What a host last said about its own limit in ratelimit-* headers, kept for operators and logs;
 * any component may be null when the response did not carry it.
 *
 * @param limit      ratelimit-limit
 * @param remaining  ratelimit-remaining
 * @param resetAt    ratelimit-reset as epoch ms
 * @param policy     ratelimit-policy verbatim
 * @param observedAt when the response was received (epoch ms); 0 when nothing was learned yet
 */
public record Learned(Integer limit, Integer remaining, Long resetAt, String policy, long observedAt) {

    public static final Learned NOTHING = new Learned(null, null, null, null, 0);
}
